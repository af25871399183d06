package io.transferportal.provisioning.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import org.springframework.stereotype.Component;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.ProvisioningStep;
import io.transferportal.provisioning.core.StepPlan;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.policy.Policies;

/**
 * Ensures the role the Transfer user assumes: a dedicated role (trust policy and inline
 * home-folder policy, both owned by the portal) or an existing role, to which the portal
 * only adds one inline policy with the KMS statement.
 */
@Component
class UserRoleStep implements ProvisioningStep {

	/** IAM quota: all inline policies of a role together, not counting white space. */
	static final int MAX_INLINE_POLICY_CHARS = 10_240;

	private final IamClient iam;

	UserRoleStep(IamClient iam) {
		this.iam = iam;
	}

	@Override
	public int getOrder() {
		return 200;
	}

	@Override
	public Set<ResourceKind> resources() {
		return Set.of(ResourceKind.ROLE, ResourceKind.ROLE_POLICY);
	}

	@Override
	public List<FieldViolation> checkInputs(Target target) {
		if (target.dedicatedRole()) {
			return List.of();
		}
		String roleAccount = target.roleArn().split(":")[4];
		if (!roleAccount.equals(target.accountId())) {
			return List.of(new FieldViolation("roleArn",
					"the role belongs to account " + roleAccount + "; roles in other accounts are not supported"));
		}
		Role role = readRole(target);
		if (role == null) {
			return List.of(new FieldViolation("roleArn", "role " + target.roleName() + " does not exist"));
		}
		if (!role.arn().equals(target.roleArn())) {
			return List.of(new FieldViolation("roleArn", "the role's ARN is " + role.arn() + " (check the path)"));
		}
		return List.of();
	}

	@Override
	public StepPlan plan(Target target) {
		List<PlannedChange> changes = new ArrayList<>();
		List<PlanProblem> problems = new ArrayList<>();
		Role role = readRole(target);
		if (target.dedicatedRole()) {
			String trust = Policies.pretty(target.trustPolicy());
			if (role == null) {
				changes.add(new PlannedChange(ResourceKind.ROLE, target.roleArn(), ChangeAction.CREATE, null, trust,
						"Create role " + target.roleName() + ", assumable by AWS Transfer for this user only",
						List.of()));
			}
			else {
				IamPolicy current = Policies.parseUrlEncoded(role.assumeRolePolicyDocument());
				if (!isManaged(role)) {
					problems.add(new PlanProblem(ResourceKind.ROLE,
							"Role " + target.roleName() + " exists but was not created by the portal"));
				}
				changes.add(Policies.sameMeaning(current, target.trustPolicy())
						? PlannedChange.none(ResourceKind.ROLE, target.roleArn(), trust, "Trust policy is as required")
						: new PlannedChange(ResourceKind.ROLE, target.roleArn(), ChangeAction.UPDATE,
								Policies.pretty(current), trust,
								"Repair trust policy: " + Policies.describeDifference(current, target.trustPolicy()),
								List.of()));
			}
		}
		else if (role == null) {
			problems.add(new PlanProblem(ResourceKind.ROLE, "Role " + target.roleArn() + " does not exist"));
			changes.add(PlannedChange.none(ResourceKind.ROLE, target.roleArn(), null, "Existing role not found"));
		}
		else {
			String trust = Policies.pretty(Policies.parseUrlEncoded(role.assumeRolePolicyDocument()));
			List<String> warnings = trust.contains("transfer.amazonaws.com") ? List.of()
					: List.of("The role's trust policy does not name transfer.amazonaws.com; AWS Transfer cannot "
							+ "assume it until its owner adds that.");
			changes.add(new PlannedChange(ResourceKind.ROLE, target.roleArn(), ChangeAction.NONE, trust, trust,
					"Use existing role " + target.roleName() + " (its trust and other policies are not changed)",
					warnings));
		}
		planRolePolicy(target, role, changes, problems);
		return new StepPlan(changes, problems);
	}

	private void planRolePolicy(Target target, @Nullable Role role, List<PlannedChange> changes,
			List<PlanProblem> problems) {
		String arn = target.roleArn() + "#" + target.rolePolicyName();
		String desired = Policies.pretty(target.rolePolicy());
		IamPolicy current = (role != null) ? readRolePolicy(target, target.rolePolicyName()) : null;
		if (current == null) {
			changes.add(new PlannedChange(ResourceKind.ROLE_POLICY, arn, ChangeAction.CREATE, null, desired,
					"Add inline policy " + target.rolePolicyName() + ": "
							+ (target.dedicatedRole() ? "home folder access and " : "")
							+ "kms:Decrypt, kms:Encrypt, kms:GenerateDataKey on the key",
					List.of()));
		}
		else if (Policies.sameMeaning(current, target.rolePolicy())) {
			changes.add(PlannedChange.none(ResourceKind.ROLE_POLICY, arn, desired, "Inline policy is as required"));
		}
		else {
			changes.add(new PlannedChange(ResourceKind.ROLE_POLICY, arn, ChangeAction.UPDATE, Policies.pretty(current),
					desired, "Repair inline policy " + target.rolePolicyName() + ": "
							+ Policies.describeDifference(current, target.rolePolicy()),
					List.of()));
		}
		int total = Policies.nonWhitespaceLength(Policies.compact(target.rolePolicy()));
		if (role != null) {
			for (String name : otherInlinePolicies(target)) {
				IamPolicy other = readRolePolicy(target, name);
				total += (other != null) ? Policies.nonWhitespaceLength(Policies.compact(other)) : 0;
			}
		}
		if (total > MAX_INLINE_POLICY_CHARS) {
			problems.add(new PlanProblem(ResourceKind.ROLE_POLICY, "The inline policies of role " + target.roleName()
					+ " would total " + total + " characters; IAM allows " + MAX_INLINE_POLICY_CHARS));
		}
	}

	@Override
	public List<AppliedChange> apply(Target target) {
		List<AppliedChange> applied = new ArrayList<>();
		Role role = readRole(target);
		if (target.dedicatedRole()) {
			applied.add(ensureDedicatedRole(target, role));
		}
		else if (role == null) {
			throw new ProvisioningException(ResourceKind.ROLE, "Role " + target.roleArn() + " does not exist");
		}
		else {
			applied.add(new AppliedChange(ResourceKind.ROLE, target.roleArn(), Outcome.UNCHANGED, null, null,
					"Existing role used as is"));
		}
		applied.add(ensureRolePolicy(target));
		return applied;
	}

	private AppliedChange ensureDedicatedRole(Target target, @Nullable Role role) {
		String trust = Policies.compact(target.trustPolicy());
		if (role == null) {
			try {
				this.iam.createRole((request) -> request.roleName(target.roleName())
					.path(target.rolePath())
					.assumeRolePolicyDocument(trust)
					.description("AWS Transfer user " + target.userName() + " on " + target.serverId()
							+ " (managed by Transfer Portal)")
					.tags(target.tags()
						.entrySet()
						.stream()
						.map((tag) -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
						.toList()));
				return new AppliedChange(ResourceKind.ROLE, target.roleArn(), Outcome.CREATED, null,
						Policies.pretty(target.trustPolicy()), "Created role " + target.roleName());
			}
			catch (IamException ex) {
				if (!AwsErrors.isAlreadyExists(ex)) {
					throw AwsErrors.failure(ResourceKind.ROLE, "CreateRole " + target.roleName(), ex);
				}
				// idempotent: a concurrent or earlier attempt created it; converge on
				// what is there
				role = readRole(target);
				if (role == null) {
					throw AwsErrors.failure(ResourceKind.ROLE, "CreateRole " + target.roleName(), ex);
				}
			}
			catch (SdkException ex) {
				throw AwsErrors.failure(ResourceKind.ROLE, "CreateRole " + target.roleName(), ex);
			}
		}
		if (!isManaged(role)) {
			throw new ProvisioningException(ResourceKind.ROLE,
					"Role " + target.roleName() + " exists but was not created by the portal; nothing written");
		}
		IamPolicy current = Policies.parseUrlEncoded(role.assumeRolePolicyDocument());
		if (Policies.sameMeaning(current, target.trustPolicy())) {
			return new AppliedChange(ResourceKind.ROLE, target.roleArn(), Outcome.UNCHANGED, Policies.pretty(current),
					Policies.pretty(current), "Trust policy already as required");
		}
		try {
			this.iam.updateAssumeRolePolicy((request) -> request.roleName(target.roleName()).policyDocument(trust));
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.ROLE, "UpdateAssumeRolePolicy " + target.roleName(), ex);
		}
		return new AppliedChange(ResourceKind.ROLE, target.roleArn(), Outcome.UPDATED, Policies.pretty(current),
				Policies.pretty(target.trustPolicy()), "Trust policy repaired");
	}

	private AppliedChange ensureRolePolicy(Target target) {
		String arn = target.roleArn() + "#" + target.rolePolicyName();
		IamPolicy current = readRolePolicy(target, target.rolePolicyName());
		if (current != null && Policies.sameMeaning(current, target.rolePolicy())) {
			return new AppliedChange(ResourceKind.ROLE_POLICY, arn, Outcome.UNCHANGED, Policies.pretty(current),
					Policies.pretty(current), "Inline policy already as required");
		}
		try {
			this.iam.putRolePolicy((request) -> request.roleName(target.roleName())
				.policyName(target.rolePolicyName())
				.policyDocument(Policies.compact(target.rolePolicy())));
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.ROLE_POLICY, "PutRolePolicy " + target.rolePolicyName(), ex);
		}
		return new AppliedChange(ResourceKind.ROLE_POLICY, arn, (current == null) ? Outcome.CREATED : Outcome.UPDATED,
				(current != null) ? Policies.pretty(current) : null, Policies.pretty(target.rolePolicy()),
				((current == null) ? "Added" : "Repaired") + " inline policy " + target.rolePolicyName());
	}

	@Override
	public StepPlan planRemoval(Target target, Sharing sharing) {
		List<PlannedChange> changes = new ArrayList<>();
		List<PlanProblem> problems = new ArrayList<>();
		String policyArn = target.roleArn() + "#" + target.rolePolicyName();
		Role role = readRole(target);
		IamPolicy policy = (role != null) ? readRolePolicy(target, target.rolePolicyName()) : null;
		boolean keepPolicy = target.dedicatedRole() ? sharing.roleInUse() : sharing.roleUsesKey();
		if (policy == null) {
			changes.add(PlannedChange.none(ResourceKind.ROLE_POLICY, policyArn, null, "Inline policy already gone"));
		}
		else if (keepPolicy) {
			changes.add(PlannedChange.none(ResourceKind.ROLE_POLICY, policyArn, Policies.pretty(policy),
					"Inline policy kept: another portal user still uses this role with this key"));
		}
		else {
			changes.add(new PlannedChange(ResourceKind.ROLE_POLICY, policyArn, ChangeAction.DELETE,
					Policies.pretty(policy), null, "Delete inline policy " + target.rolePolicyName(), List.of()));
		}
		if (!target.dedicatedRole() || role == null) {
			changes.add(0, PlannedChange.none(ResourceKind.ROLE, target.roleArn(), null,
					target.dedicatedRole() ? "Role already gone" : "Existing role is not deleted"));
			return new StepPlan(changes, problems);
		}
		String trust = Policies.pretty(Policies.parseUrlEncoded(role.assumeRolePolicyDocument()));
		if (!isManaged(role)) {
			problems.add(new PlanProblem(ResourceKind.ROLE,
					"Role " + target.roleName() + " was not created by the portal; it is not deleted"));
		}
		else if (sharing.roleInUse()) {
			changes.add(0, PlannedChange.none(ResourceKind.ROLE, target.roleArn(), trust,
					"Role kept: another portal user still uses it"));
			return new StepPlan(changes, problems);
		}
		List<String> foreign = otherInlinePolicies(target);
		List<String> attached = attachedPolicies(target);
		if (!foreign.isEmpty() || !attached.isEmpty()) {
			problems.add(new PlanProblem(ResourceKind.ROLE,
					"Role " + target.roleName() + " has policies the portal did not add ("
							+ String.join(", ", concat(foreign, attached))
							+ "); remove them first, the portal deletes only what it created"));
		}
		changes.add(0, new PlannedChange(ResourceKind.ROLE, target.roleArn(), ChangeAction.DELETE, trust, null,
				"Delete role " + target.roleName(), List.of()));
		return new StepPlan(changes, problems);
	}

	@Override
	public List<AppliedChange> remove(Target target, List<PlannedChange> approved) {
		List<AppliedChange> applied = new ArrayList<>();
		if (approvedAction(approved, ResourceKind.ROLE_POLICY) == ChangeAction.DELETE) {
			IamPolicy current = readRolePolicy(target, target.rolePolicyName());
			String arn = target.roleArn() + "#" + target.rolePolicyName();
			if (current == null) {
				applied.add(new AppliedChange(ResourceKind.ROLE_POLICY, arn, Outcome.UNCHANGED, null, null,
						"Already gone"));
			}
			else {
				call(ResourceKind.ROLE_POLICY, "DeleteRolePolicy " + target.rolePolicyName(),
						() -> this.iam.deleteRolePolicy(
								(request) -> request.roleName(target.roleName()).policyName(target.rolePolicyName())));
				applied.add(new AppliedChange(ResourceKind.ROLE_POLICY, arn, Outcome.DELETED, Policies.pretty(current),
						null, "Deleted inline policy " + target.rolePolicyName()));
			}
		}
		if (approvedAction(approved, ResourceKind.ROLE) == ChangeAction.DELETE) {
			Role role = readRole(target);
			if (role == null) {
				applied.add(new AppliedChange(ResourceKind.ROLE, target.roleArn(), Outcome.UNCHANGED, null, null,
						"Already gone"));
			}
			else {
				if (!otherInlinePolicies(target).isEmpty() || !attachedPolicies(target).isEmpty()) {
					throw new ProvisioningException(ResourceKind.ROLE,
							"Role " + target.roleName() + " gained policies the portal did not add; it is not deleted");
				}
				call(ResourceKind.ROLE, "DeleteRole " + target.roleName(),
						() -> this.iam.deleteRole((request) -> request.roleName(target.roleName())));
				applied.add(new AppliedChange(ResourceKind.ROLE, target.roleArn(), Outcome.DELETED,
						Policies.pretty(Policies.parseUrlEncoded(role.assumeRolePolicyDocument())), null,
						"Deleted role " + target.roleName()));
			}
		}
		return applied;
	}

	private static ChangeAction approvedAction(List<PlannedChange> approved, ResourceKind resource) {
		return approved.stream()
			.filter((change) -> change.resource() == resource)
			.map(PlannedChange::action)
			.findFirst()
			.orElse(ChangeAction.NONE);
	}

	private @Nullable Role readRole(Target target) {
		try {
			return this.iam.getRole((request) -> request.roleName(target.roleName())).role();
		}
		catch (IamException ex) {
			if (AwsErrors.isNotFound(ex)) {
				return null;
			}
			throw AwsErrors.failure(ResourceKind.ROLE, "GetRole " + target.roleName(), ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.ROLE, "GetRole " + target.roleName(), ex);
		}
	}

	private @Nullable IamPolicy readRolePolicy(Target target, String policyName) {
		try {
			return Policies.parseUrlEncoded(
					this.iam.getRolePolicy((request) -> request.roleName(target.roleName()).policyName(policyName))
						.policyDocument());
		}
		catch (IamException ex) {
			if (AwsErrors.isNotFound(ex)) {
				return null;
			}
			throw AwsErrors.failure(ResourceKind.ROLE_POLICY, "GetRolePolicy " + policyName, ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.ROLE_POLICY, "GetRolePolicy " + policyName, ex);
		}
	}

	private List<String> otherInlinePolicies(Target target) {
		return call(ResourceKind.ROLE_POLICY, "ListRolePolicies " + target.roleName(),
				() -> this.iam.listRolePoliciesPaginator((request) -> request.roleName(target.roleName()))
					.policyNames()
					.stream()
					.filter((name) -> !name.equals(target.rolePolicyName()))
					.toList());
	}

	private List<String> attachedPolicies(Target target) {
		return call(ResourceKind.ROLE, "ListAttachedRolePolicies " + target.roleName(),
				() -> this.iam.listAttachedRolePoliciesPaginator((request) -> request.roleName(target.roleName()))
					.attachedPolicies()
					.stream()
					.map((policy) -> policy.policyName())
					.toList());
	}

	private static boolean isManaged(Role role) {
		return role.hasTags() && role.tags()
			.stream()
			.anyMatch((tag) -> Target.MANAGED_TAG.equals(tag.key()) && Target.MANAGED_TAG_VALUE.equals(tag.value()));
	}

	private static <T> T call(ResourceKind resource, String operation, java.util.function.Supplier<T> call) {
		try {
			return call.get();
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(resource, operation, ex);
		}
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

}
