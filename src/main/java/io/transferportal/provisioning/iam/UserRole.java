package io.transferportal.provisioning.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.policy.Policies;

/**
 * The IAM role the Transfer user assumes: a dedicated role, whose trust policy the portal
 * owns and which it deletes with the user, or an existing role, which the portal only
 * reads (its inline KMS policy is {@link RolePolicy}).
 */
@Component
class UserRole implements UserResource<UserRole.Live, UserRole.Work> {

	private static final ResourceKind KIND = ResourceKind.ROLE;

	private final IamClient iam;

	UserRole(IamClient iam) {
		this.iam = iam;
	}

	@Override
	public int getOrder() {
		return 200;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
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
		Live role = read(target);
		if (role == null) {
			return List.of(new FieldViolation("roleArn", "role " + target.roleName() + " does not exist"));
		}
		if (!role.arn().equals(target.roleArn())) {
			return List.of(new FieldViolation("roleArn", "the role's ARN is " + role.arn() + " (check the path)"));
		}
		return List.of();
	}

	@Override
	public @Nullable Live read(Target target) {
		Role role = AwsErrors.findOrNull(KIND, "GetRole " + target.roleName(),
				() -> this.iam.getRole((request) -> request.roleName(target.roleName())).role());
		if (role == null) {
			return null;
		}
		Map<String, String> tags = role.hasTags()
				? role.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b)) : Map.of();
		return new Live(role.arn(), Policies.parseUrlEncoded(role.assumeRolePolicyDocument()), Target.isManaged(tags),
				List.of());
	}

	/**
	 * A role is deleted only when it holds nothing the portal did not add, so read that
	 * too.
	 */
	@Override
	public @Nullable Live readForRemoval(Target target) {
		Live role = read(target);
		if (role == null || !target.dedicatedRole()) {
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
		return new Live(role.arn(), role.trust(), role.managed(), foreign);
	}

	@Override
	public Decision<Work> decide(Target target, @Nullable Live live) {
		if (!target.dedicatedRole()) {
			return decideExisting(target, live);
		}
		String trust = Policies.pretty(target.trustPolicy());
		if (live == null) {
			return Decision.write(Work.CREATE,
					new PlannedChange(KIND, target.roleArn(), ChangeAction.CREATE, null, trust,
							"Create role " + target.roleName() + ", assumable by AWS Transfer for this user only",
							List.of()));
		}
		Decision<Work> decision = Policies.sameMeaning(live.trust(), target.trustPolicy())
				? Decision.none(PlannedChange.none(KIND, target.roleArn(), trust, "Trust policy is as required"))
				: Decision.write(Work.UPDATE_TRUST, new PlannedChange(KIND, target.roleArn(), ChangeAction.UPDATE,
						Policies.pretty(live.trust()), trust,
						"Repair trust policy: " + Policies.describeDifference(live.trust(), target.trustPolicy()),
						List.of()));
		return live.managed() ? decision : decision.withProblem(
				new PlanProblem(KIND, "Role " + target.roleName() + " exists but was not created by the portal"));
	}

	private static Decision<Work> decideExisting(Target target, @Nullable Live live) {
		if (live == null) {
			return Decision.refused(new PlanProblem(KIND, "Role " + target.roleArn() + " does not exist"),
					PlannedChange.none(KIND, target.roleArn(), null, "Existing role not found"));
		}
		String trust = Policies.pretty(live.trust());
		List<String> warnings = trust.contains("transfer.amazonaws.com") ? List.of()
				: List.of("The role's trust policy does not name transfer.amazonaws.com; AWS Transfer cannot "
						+ "assume it until its owner adds that.");
		return Decision.none(new PlannedChange(KIND, target.roleArn(), ChangeAction.NONE, trust, trust,
				"Use existing role " + target.roleName() + " (its trust and other policies are not changed)",
				warnings));
	}

	@Override
	public Decision<Work> decideRemoval(Target target, @Nullable Live live, Sharing sharing) {
		if (!target.dedicatedRole() || live == null) {
			return Decision.none(PlannedChange.none(KIND, target.roleArn(), null,
					target.dedicatedRole() ? "Role already gone" : "Existing role is not deleted"));
		}
		String trust = Policies.pretty(live.trust());
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

	@Override
	public void write(Target target, Work work) {
		String name = target.roleName();
		switch (work) {
			case CREATE -> AwsErrors.call(KIND, "CreateRole " + name,
					() -> this.iam.createRole((request) -> request.roleName(name)
						.path(target.rolePath())
						.assumeRolePolicyDocument(Policies.compact(target.trustPolicy()))
						.description("AWS Transfer user " + target.userName() + " on " + target.serverId()
								+ " (managed by Transfer Portal)")
						.tags(target.tags()
							.entrySet()
							.stream()
							.map((tag) -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
							.toList())));
			case UPDATE_TRUST ->
				AwsErrors.call(KIND, "UpdateAssumeRolePolicy " + name, () -> this.iam.updateAssumeRolePolicy(
						(request) -> request.roleName(name).policyDocument(Policies.compact(target.trustPolicy()))));
			case DELETE -> AwsErrors.runIgnoring(KIND, "DeleteRole " + name, AwsErrors::isNotFound,
					() -> this.iam.deleteRole((request) -> request.roleName(name)));
		}
	}

	/**
	 * A role as read.
	 *
	 * @param arn its ARN (the path is part of it)
	 * @param trust its trust policy
	 * @param managed whether it carries the portal's tag
	 * @param foreignPolicies inline and attached policies the portal did not add (read
	 * only for a removal)
	 */
	record Live(String arn, IamPolicy trust, boolean managed, List<String> foreignPolicies) {
	}

	enum Work {

		CREATE, UPDATE_TRUST, DELETE

	}

}
