package io.transferportal.provisioning.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TransferPolicies;

/**
 * The portal's inline policy on the user's role: home-folder access and the KMS statement
 * on a dedicated role, only the KMS statement (one policy per key) on an existing role.
 */
@Component
class RolePolicy implements UserResource<RolePolicy.Live, RolePolicy.Work> {

	private static final ResourceKind KIND = ResourceKind.ROLE_POLICY;

	/** IAM quota: all inline policies of a role together, not counting white space. */
	static final int MAX_INLINE_POLICY_CHARS = 10_240;

	private final IamClient iam;

	private final RetryTemplate propagationRetry;

	RolePolicy(IamClient iam, ProvisioningProperties properties) {
		this.iam = iam;
		// right after CreateRole in the same run, IAM may not know the role yet ("IAM,
		// like many other AWS services, is eventually consistent":
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency);
		// a role that is really gone fails after the bounded retries
		this.propagationRetry = properties.iamPropagation().retryOn(NoSuchEntityException.class);
	}

	@Override
	public int getOrder() {
		return 210;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
	}

	/**
	 * The portal's policy and the size of the role's other inline policies, which count
	 * against the same quota. A role that does not exist yet has neither.
	 */
	@Override
	public Live read(Target target) {
		String role = target.roleName();
		if (ReadCache.peek(UserRole.cacheKey(target)).filter(Optional::isEmpty).isPresent()) {
			// this plan just read that the role does not exist: nor do its policies
			return new Live(null, 0);
		}
		Optional<Object> readAhead = ReadCache.peek(UserRole.policiesCacheKey(target)).flatMap((value) -> value);
		if (readAhead.isPresent()) {
			@SuppressWarnings("unchecked")
			Map<String, String> documents = (Map<String, String>) readAhead.get();
			return live(target, documents);
		}
		List<String> names = AwsErrors.findOrNull(KIND, "ListRolePolicies " + role,
				() -> this.iam.listRolePoliciesPaginator((request) -> request.roleName(role))
					.policyNames()
					.stream()
					.toList());
		if (names == null) {
			return new Live(null, 0);
		}
		Map<String, String> documents = new LinkedHashMap<>();
		for (String name : names) {
			String document = readPolicy(role, name);
			if (document != null) {
				documents.put(name, document);
			}
		}
		return live(target, documents);
	}

	/** The live state from the role's inline policies (name to URL-encoded document). */
	private static Live live(Target target, Map<String, String> documents) {
		IamPolicy portal = null;
		int others = 0;
		for (Map.Entry<String, String> document : documents.entrySet()) {
			IamPolicy policy = Policies.parseUrlEncoded(document.getValue());
			if (document.getKey().equals(target.rolePolicyName())) {
				portal = policy;
			}
			else {
				others += Policies.nonWhitespaceLength(Policies.compact(policy));
			}
		}
		return new Live(portal, others);
	}

	/** The policy's URL-encoded document; {@code null} if it went meanwhile. */
	private @Nullable String readPolicy(String role, String name) {
		return AwsErrors.findOrNull(KIND, "GetRolePolicy " + name,
				() -> this.iam.getRolePolicy((request) -> request.roleName(role).policyName(name)).policyDocument());
	}

	@Override
	public Decision<Work> decide(Target target, @Nullable Live live) {
		String arn = arn(target);
		IamPolicy current = (live != null) ? live.policy() : null;
		String desired = Policies.pretty(target.rolePolicy());
		Decision<Work> decision;
		if (current == null) {
			decision = Decision.write(Work.PUT,
					new PlannedChange(KIND, arn, ChangeAction.CREATE, null, desired,
							"Add inline policy " + target.rolePolicyName() + ": "
									+ (target.sharedRole()
											? "bucket access (each user's session policy narrows it to the "
													+ "user's home folder) and "
											: target.dedicatedRole() ? "home folder access and " : "")
									+ String.join(", ", kmsActions(target)) + " on the key",
							List.of()));
		}
		else if (Policies.sameMeaning(current, target.rolePolicy())) {
			decision = Decision.none(PlannedChange.none(KIND, arn, desired, "Inline policy is as required"));
		}
		else {
			decision = Decision.write(Work.PUT,
					new PlannedChange(KIND, arn, ChangeAction.UPDATE, Policies.pretty(current), desired,
							"Repair inline policy " + target.rolePolicyName() + ": "
									+ Policies.describeDifference(current, target.rolePolicy()),
							List.of()));
		}
		int total = Policies.nonWhitespaceLength(Policies.compact(target.rolePolicy()))
				+ ((live != null) ? live.otherInlineChars() : 0);
		if (total > MAX_INLINE_POLICY_CHARS) {
			return decision.withProblem(new PlanProblem(KIND, "The inline policies of role " + target.roleName()
					+ " would total " + total + " characters; IAM allows " + MAX_INLINE_POLICY_CHARS));
		}
		return decision;
	}

	@Override
	public Decision<Work> decideRemoval(Target target, @Nullable Live live, Sharing sharing) {
		String arn = arn(target);
		IamPolicy current = (live != null) ? live.policy() : null;
		if (current == null) {
			return Decision.none(PlannedChange.none(KIND, arn, null, "Inline policy already gone"));
		}
		// a dedicated role's policy serves everyone on the role; an existing role's
		// policy only those with this key
		boolean keep = target.portalRole() ? sharing.roleInUse() : sharing.roleUsesKey();
		if (keep) {
			return Decision.none(PlannedChange.none(KIND, arn, Policies.pretty(current),
					"Inline policy kept: another portal user still uses this role with this key"));
		}
		return Decision.write(Work.DELETE, new PlannedChange(KIND, arn, ChangeAction.DELETE, Policies.pretty(current),
				null, "Delete inline policy " + target.rolePolicyName(), List.of()));
	}

	/** A role created a moment ago by this run has no inline policy yet. */
	@Override
	public boolean createsWithoutReading(Set<ResourceKind> createdInThisRun) {
		return createdInThisRun.contains(ResourceKind.ROLE);
	}

	@Override
	public void write(Target target, Work work) {
		String role = target.roleName();
		String name = target.rolePolicyName();
		switch (work) {
			case PUT -> AwsErrors.callRetrying(KIND, "PutRolePolicy " + name, this.propagationRetry,
					() -> this.iam.putRolePolicy((request) -> request.roleName(role)
						.policyName(name)
						.policyDocument(Policies.compact(target.rolePolicy()))));
			case DELETE -> AwsErrors.runIgnoring(KIND, "DeleteRolePolicy " + name, AwsErrors::isNotFound,
					() -> this.iam.deleteRolePolicy((request) -> request.roleName(role).policyName(name)));
		}
	}

	/**
	 * A dedicated role serves one user and a shared role one access level, so they get
	 * that level's actions; an existing role may serve users of both levels with this
	 * key.
	 */
	private static List<String> kmsActions(Target target) {
		return target.portalRole() ? TransferPolicies.kmsActions(target.spec().accessLevel())
				: TransferPolicies.KMS_ACTIONS;
	}

	/** An inline policy has no ARN of its own: the role's ARN and the policy name. */
	private static String arn(Target target) {
		return target.roleArn() + "#" + target.rolePolicyName();
	}

	/**
	 * The role's inline policies as read.
	 *
	 * @param policy the portal's inline policy, {@code null} if absent
	 * @param otherInlineChars the size of the role's other inline policies, without white
	 * space
	 */
	record Live(@Nullable IamPolicy policy, int otherInlineChars) {
	}

	enum Work {

		PUT, DELETE

	}

}
