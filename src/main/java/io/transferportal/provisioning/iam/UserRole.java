package io.transferportal.provisioning.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Tags;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TrustPolicies;

/**
 * The IAM role the Transfer user assumes: a dedicated role, whose trust policy the portal
 * owns and which it deletes with the user, or an existing role, which the portal only
 * reads (its inline KMS policy is {@link RolePolicy}).
 */
@Component
class UserRole implements UserResource<UserRole.Live, UserRole.Work> {

	private static final ResourceKind KIND = ResourceKind.ROLE;

	private static final String EXISTING_ROLE_PATHS = "portal.provisioning.existing-role-paths";

	/** Below this many dedicated roles, reading each is cheaper than listing all. */
	static final int READ_AHEAD_MIN_ROLES = 10;

	/**
	 * The most roles a page of GetAccountAuthorizationDetails holds: its MaxItems is 1 to
	 * 1000
	 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
	 */
	static final int MAX_ITEMS_PER_PAGE = 1000;

	private final IamClient iam;

	private final ProvisioningProperties properties;

	private final RetryTemplate propagationRetry;

	UserRole(IamClient iam, ProvisioningProperties properties) {
		this.iam = iam;
		this.properties = properties;
		// a write right after CreateRole may reach an IAM replica that does not know the
		// role yet (IAM is eventually consistent:
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency)
		this.propagationRetry = properties.iamPropagation().retryOn(NoSuchEntityException.class);
	}

	@Override
	public int getOrder() {
		return 200;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
	}

	/**
	 * An existing role gets key access for everyone who can assume it, so only roles
	 * under the paths the platform team set aside are accepted, and only if Transfer can
	 * assume them for this user.
	 */
	@Override
	public List<FieldViolation> checkInputs(Target target) {
		if (target.portalRole()) {
			return List.of();
		}
		String roleAccount = target.roleArn().split(":")[4];
		if (!roleAccount.equals(target.accountId())) {
			return List.of(new FieldViolation("roleArn",
					"the role belongs to account " + roleAccount + "; roles in other accounts are not supported"));
		}
		String pathProblem = pathProblem(target.roleArn());
		if (pathProblem != null) {
			return List.of(new FieldViolation("roleArn", pathProblem));
		}
		Live role = read(target);
		if (role == null) {
			return List.of(new FieldViolation("roleArn", "role " + target.roleName() + " does not exist"));
		}
		if (!role.arn().equals(target.roleArn())) {
			return List.of(new FieldViolation("roleArn", "the role's ARN is " + role.arn() + " (check the path)"));
		}
		return TrustPolicies.whyNotAssumableFor(role.trust(), target.accountId(), target.userArn())
			.map((reason) -> List
				.of(new FieldViolation("roleArn", "role " + target.roleName() + " cannot be used: " + reason)))
			.orElse(List.of());
	}

	/**
	 * Why the role's IAM path is not one the platform team allows; {@code null} if it is.
	 */
	private @Nullable String pathProblem(String roleArn) {
		String resource = roleArn.substring(roleArn.indexOf(":role/") + ":role".length());
		String path = resource.substring(0, resource.lastIndexOf('/') + 1);
		List<String> allowed = this.properties.existingRolePaths();
		if (allowed.isEmpty()) {
			return "existing roles are not accepted here; the platform team can allow the IAM paths of roles "
					+ "set aside for Transfer users with " + EXISTING_ROLE_PATHS + " (leave the role ARN empty "
					+ "for a dedicated role)";
		}
		if (allowed.stream().noneMatch(path::startsWith)) {
			return "the role's IAM path " + path + " is not under an allowed path " + allowed + " ("
					+ EXISTING_ROLE_PATHS + ")";
		}
		return null;
	}

	/** Read once per plan or verification run: an existing role may serve many users. */
	@Override
	public @Nullable Live read(Target target) {
		Role role = ReadCache.get(cacheKey(target), () -> AwsErrors.findOrNull(KIND, "GetRole " + target.roleName(),
				() -> this.iam.getRole((request) -> request.roleName(target.roleName())).role()));
		if (role == null) {
			return null;
		}
		Map<String, String> tags = role.hasTags()
				? role.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b)) : Map.of();
		String boundary = (role.permissionsBoundary() != null) ? role.permissionsBoundary().permissionsBoundaryArn()
				: null;
		return new Live(role.arn(), Policies.parseUrlEncoded(role.assumeRolePolicyDocument()), boundary,
				Target.isManaged(tags), List.of(), tags);
	}

	static String cacheKey(Target target) {
		return "iam-role:" + target.roleName();
	}

	static String policiesCacheKey(Target target) {
		return "iam-role-policies:" + target.roleName();
	}

	/**
	 * Many dedicated roles are read in one paged call instead of GetRole and
	 * ListRolePolicies + GetRolePolicy each: GetAccountAuthorizationDetails returns every
	 * role with its trust policy, permissions boundary, tags and inline policies
	 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
	 * It lists all roles of the account, so it is worth it only for many users; a role
	 * the listing does not hold does not exist.
	 */
	@Override
	public void readAhead(List<Target> targets) {
		Map<String, Target> wanted = new LinkedHashMap<>();
		targets.stream().filter(Target::portalRole).forEach((target) -> wanted.put(target.roleName(), target));
		if (wanted.size() < READ_AHEAD_MIN_ROLES) {
			return;
		}
		Map<String, RoleDetail> found = new LinkedHashMap<>();
		AwsErrors.run(KIND, "GetAccountAuthorizationDetails",
				// the largest page IAM gives (1,000; 100 unless asked): an account's
				// roles in as few calls as it allows
				() -> this.iam
					.getAccountAuthorizationDetailsPaginator(
							(request) -> request.filter(EntityType.ROLE).maxItems(MAX_ITEMS_PER_PAGE))
					.stream()
					.flatMap((page) -> page.roleDetailList().stream())
					.filter((role) -> wanted.containsKey(role.roleName()))
					.forEach((role) -> found.put(role.roleName(), role)));
		wanted.forEach((name, target) -> {
			RoleDetail detail = found.get(name);
			ReadCache.put(cacheKey(target), (detail != null) ? role(detail) : null);
			if (detail != null) {
				Map<String, String> policies = new LinkedHashMap<>();
				detail.rolePolicyList().forEach((policy) -> policies.put(policy.policyName(), policy.policyDocument()));
				ReadCache.put(policiesCacheKey(target), policies);
			}
		});
	}

	/** The role as GetRole answers it. */
	private static Role role(RoleDetail detail) {
		return Role.builder()
			.path(detail.path())
			.roleName(detail.roleName())
			.roleId(detail.roleId())
			.arn(detail.arn())
			.createDate(detail.createDate())
			.assumeRolePolicyDocument(detail.assumeRolePolicyDocument())
			.permissionsBoundary(detail.permissionsBoundary())
			.tags(detail.tags())
			.build();
	}

	/**
	 * A role is deleted only when it holds nothing the portal did not add, so read that
	 * too.
	 */
	@Override
	public @Nullable Live readForRemoval(Target target) {
		Live role = read(target);
		if (role == null || !target.portalRole()) {
			return role;
		}
		List<String> foreign = new ArrayList<>(AwsErrors.call(KIND, "ListRolePolicies " + target.roleName(),
				() -> this.iam.listRolePoliciesPaginator((request) -> request.roleName(target.roleName()))
					.policyNames()
					.stream()
					.filter((name) -> !name.equals(target.rolePolicyName()))
					.toList()));
		foreign.addAll(AwsErrors.call(KIND, "ListAttachedRolePolicies " + target.roleName(),
				() -> this.iam.listAttachedRolePoliciesPaginator((request) -> request.roleName(target.roleName()))
					.attachedPolicies()
					.stream()
					.map(AttachedPolicy::policyName)
					.toList()));
		return new Live(role.arn(), role.trust(), role.permissionsBoundary(), role.managed(), foreign, role.tags());
	}

	@Override
	public Decision<Work> decide(Target target, @Nullable Live live) {
		if (!target.portalRole()) {
			return decideExisting(target, live);
		}
		String boundary = target.permissionsBoundaryArn();
		if (live == null) {
			return Decision.write(Work.CREATE, new PlannedChange(KIND, target.roleArn(), ChangeAction.CREATE, null,
					document(target.trustPolicy(), boundary, target.roleTags()),
					"Create role " + target.roleName() + ", assumable by AWS Transfer for "
							+ (target.sharedRole() ? "this account's users (shared by the users of bucket "
									+ target.spec().bucket() + " with this key, " + target.spec().accessLevel() + ")"
									: "this user only")
							+ ((boundary != null) ? ", with permissions boundary " + boundary : ""),
					List.of()));
		}
		boolean trust = !Policies.sameMeaning(live.trust(), target.trustPolicy());
		// a boundary the portal was not asked for is left alone: removing it would widen
		// what the role may do
		boolean wrongBoundary = boundary != null && !boundary.equals(live.permissionsBoundary());
		Map<String, String> tags = Tags.toSet(target.roleTags(), live.tags());
		// a shared role carries no one user's tags, so a change removes none from it
		List<String> untag = target.sharedRole() ? List.of()
				: Tags.toRemove(target.removedTagKeys(), target.roleTags(), live.tags());
		String current = document(live.trust(), live.permissionsBoundary(), live.tags());
		Decision<Work> decision;
		if (!trust && !wrongBoundary && tags.isEmpty() && untag.isEmpty()) {
			decision = Decision.none(PlannedChange.none(KIND, target.roleArn(), current, "Trust policy"
					+ ((boundary != null) ? ", permissions boundary" : "") + " and tags are as required"));
		}
		else {
			List<String> repairs = new ArrayList<>();
			if (trust) {
				repairs.add("trust policy: " + Policies.describeDifference(live.trust(), target.trustPolicy()));
			}
			if (wrongBoundary) {
				repairs.add("permissions boundary: "
						+ ((live.permissionsBoundary() != null) ? live.permissionsBoundary() : "none") + " -> "
						+ boundary);
			}
			if (!tags.isEmpty()) {
				repairs.add("tags: set " + Tags.describe(tags));
			}
			if (!untag.isEmpty()) {
				repairs.add("tags: " + Tags.describeRemoval(untag));
			}
			decision = Decision.write(new Work(ChangeAction.UPDATE, trust, wrongBoundary, tags, untag),
					new PlannedChange(KIND, target.roleArn(), ChangeAction.UPDATE, current,
							document(target.trustPolicy(), (boundary != null) ? boundary : live.permissionsBoundary(),
									Tags.after(target.roleTags(), live.tags(), untag)),
							"Repair " + String.join("; ", repairs), List.of()));
		}
		return live.managed() ? decision : decision.withProblem(
				new PlanProblem(KIND, "Role " + target.roleName() + " exists but was not created by the portal"));
	}

	private static Decision<Work> decideExisting(Target target, @Nullable Live live) {
		if (live == null) {
			return Decision.refused(new PlanProblem(KIND, "Role " + target.roleArn() + " does not exist"),
					PlannedChange.none(KIND, target.roleArn(), null, "Existing role not found"));
		}
		String current = document(live.trust(), live.permissionsBoundary(), live.tags());
		List<String> warnings = new ArrayList<>();
		if (live.permissionsBoundary() != null) {
			// "Policies used as permissions boundaries do not provide permissions"
			// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html)
			warnings.add("Role " + target.roleName() + " has permissions boundary " + live.permissionsBoundary()
					+ ": the user can use the key and the home folder only if the boundary allows that too; the "
					+ "portal cannot see whether it does.");
		}
		Decision<Work> decision = Decision.none(new PlannedChange(KIND, target.roleArn(), ChangeAction.NONE, current,
				current, "Use existing role " + target.roleName() + " (its trust and other policies are not changed)",
				warnings));
		// checked before planning; checked again here so verification notices a trust
		// policy changed later
		return TrustPolicies.whyNotAssumableFor(live.trust(), target.accountId(), target.userArn())
			.map((reason) -> decision
				.withProblem(new PlanProblem(KIND, "Role " + target.roleName() + " cannot be used: " + reason)))
			.orElse(decision);
	}

	/**
	 * The role as the approver compares it: the trust policy, the permissions boundary
	 * and the tags.
	 */
	private static String document(IamPolicy trust, @Nullable String permissionsBoundary, Map<String, String> tags) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("AssumeRolePolicyDocument", Documents.tree(Policies.pretty(trust)));
		document.put("PermissionsBoundary", permissionsBoundary);
		document.put("Tags", Tags.sorted(tags));
		return Documents.pretty(document);
	}

	@Override
	public Decision<Work> decideRemoval(Target target, @Nullable Live live, Sharing sharing) {
		if (!target.portalRole() || live == null) {
			return Decision.none(PlannedChange.none(KIND, target.roleArn(), null,
					target.portalRole() ? "Role already gone" : "Existing role is not deleted"));
		}
		String trust = document(live.trust(), live.permissionsBoundary(), live.tags());
		if (live.managed() && sharing.roleInUse()) {
			return Decision.none(
					PlannedChange.none(KIND, target.roleArn(), trust, "Role kept: another portal user still uses it"));
		}
		Decision<Work> decision = Decision.write(Work.DELETE, new PlannedChange(KIND, target.roleArn(),
				ChangeAction.DELETE, trust, null, "Delete role " + target.roleName(), List.of()));
		if (!live.managed()) {
			decision = decision.withProblem(new PlanProblem(KIND,
					"Role " + target.roleName() + " was not created by the portal; it is not deleted"));
		}
		if (!live.foreignPolicies().isEmpty()) {
			decision = decision.withProblem(new PlanProblem(KIND,
					"Role " + target.roleName() + " has policies the portal did not add ("
							+ String.join(", ", live.foreignPolicies())
							+ "); remove them first, the portal deletes only what it created"));
		}
		return decision;
	}

	/**
	 * CreateRole fails with {@code EntityAlreadyExists} when a role of that name exists
	 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html#API_CreateRole_Errors).
	 */
	@Override
	public boolean createsWithoutReading(Set<ResourceKind> createdInThisRun) {
		return true;
	}

	@Override
	public void write(Target target, Work work) {
		String name = target.roleName();
		String boundary = target.permissionsBoundaryArn();
		switch (work.action()) {
			case CREATE -> AwsErrors.call(KIND, "CreateRole " + name,
					() -> this.iam.createRole((request) -> request.roleName(name)
						.path(target.rolePath())
						.assumeRolePolicyDocument(Policies.compact(target.trustPolicy()))
						.permissionsBoundary(boundary)
						.description(target.sharedRole()
								? "AWS Transfer users on " + target.spec().bucket() + " with key " + target.keyId()
										+ ", " + target.spec().accessLevel() + " (shared, managed by Transfer Portal)"
								: "AWS Transfer user " + target.userName() + " on " + target.serverId()
										+ " (managed by Transfer Portal)")
						.tags(iamTags(target.roleTags()))));
			case UPDATE -> {
				if (work.trust()) {
					AwsErrors.callRetrying(KIND, "UpdateAssumeRolePolicy " + name, this.propagationRetry,
							() -> this.iam.updateAssumeRolePolicy((request) -> request.roleName(name)
								.policyDocument(Policies.compact(target.trustPolicy()))));
				}
				if (!work.tags().isEmpty()) {
					AwsErrors.callRetrying(KIND, "TagRole " + name, this.propagationRetry,
							() -> this.iam.tagRole((request) -> request.roleName(name).tags(iamTags(work.tags()))));
				}
				if (!work.untagKeys().isEmpty()) {
					AwsErrors.callRetrying(KIND, "UntagRole " + name, this.propagationRetry,
							() -> this.iam.untagRole((request) -> request.roleName(name).tagKeys(work.untagKeys())));
				}
				if (work.boundary() && boundary != null) {
					AwsErrors.callRetrying(KIND, "PutRolePermissionsBoundary " + name, this.propagationRetry,
							() -> this.iam.putRolePermissionsBoundary(
									(request) -> request.roleName(name).permissionsBoundary(boundary)));
				}
			}
			case DELETE -> AwsErrors.runIgnoring(KIND, "DeleteRole " + name, AwsErrors::isNotFound,
					() -> this.iam.deleteRole((request) -> request.roleName(name)));
			case NONE -> {
			}
		}
	}

	private static List<Tag> iamTags(Map<String, String> tags) {
		return tags.entrySet()
			.stream()
			.map((tag) -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
			.toList();
	}

	/**
	 * A role as read.
	 *
	 * @param arn its ARN (the path is part of it)
	 * @param trust its trust policy
	 * @param permissionsBoundary the ARN of its permissions boundary, {@code null} for
	 * none
	 * @param managed whether it carries the portal's tag
	 * @param foreignPolicies inline and attached policies the portal did not add (read
	 * only for a removal)
	 * @param tags its tags
	 */
	record Live(String arn, IamPolicy trust, @Nullable String permissionsBoundary, boolean managed,
			List<String> foreignPolicies, Map<String, String> tags) {

		Live {
			tags = Map.copyOf(tags);
		}

	}

	/**
	 * What to write.
	 *
	 * @param action create, update or delete the role
	 * @param trust whether an update sets the trust policy
	 * @param boundary whether an update sets the permissions boundary
	 * @param tags the tags an update sets
	 * @param untagKeys the keys of the tags an update removes
	 */
	record Work(ChangeAction action, boolean trust, boolean boundary, Map<String, String> tags,
			List<String> untagKeys) {

		static final Work CREATE = new Work(ChangeAction.CREATE, true, true, Map.of(), List.of());

		static final Work DELETE = new Work(ChangeAction.DELETE, false, false, Map.of(), List.of());

	}

}
