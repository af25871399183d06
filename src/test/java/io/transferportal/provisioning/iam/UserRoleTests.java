package io.transferportal.provisioning.iam;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.TagRoleRequest;
import software.amazon.awssdk.services.iam.model.UntagRoleRequest;
import software.amazon.awssdk.services.iam.model.UntagRoleResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.iam.UserRole.Live;
import io.transferportal.provisioning.iam.UserRole.Work;
import io.transferportal.provisioning.policy.TransferPolicies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/** The role rules as plain functions of the request and the role as read. */
class UserRoleTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	static final String BOUNDARY = "arn:aws:iam::123456789012:policy/transfer-users-boundary";

	UserRole resource = new UserRole(mock(), TestTargets.PROPERTIES);

	Target dedicated = TestTargets.resolve(spec(null));

	Target existing = TestTargets.resolve(spec("arn:aws:iam::123456789012:role/partners/shared-sftp"));

	@Test
	void aMissingDedicatedRoleIsCreated() {
		Decision<Work> decision = this.resource.decide(this.dedicated, null);

		assertThat(decision.work()).isEqualTo(Work.CREATE);
		assertThat(decision.changes().get(0).after()).contains("transfer.amazonaws.com");
	}

	@Test
	void aDriftedTrustPolicyIsRepairedAndAnUnmanagedRoleIsAProblem() {
		IamPolicy other = TransferPolicies.trustPolicy("123456789012",
				"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/mallory");
		Live drifted = new Live(this.dedicated.roleArn(), other, null, true, List.of(), this.dedicated.tags());

		assertThat(this.resource.decide(this.dedicated, drifted).work())
			.isEqualTo(new Work(ChangeAction.UPDATE, true, false, Map.of(), List.of()));
		assertThat(this.resource.decide(this.dedicated, live(true)).writes()).isFalse();
		assertThat(this.resource.decide(this.dedicated, live(false)).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("not created by the portal"));
	}

	@Test
	void anExistingRoleIsOnlyReadAndRefusedWhenTransferCannotAssumeItForThisUser() {
		IamPolicy notTransfer = IamPolicy.fromJson("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
				+ "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");

		Decision<Work> decision = this.resource.decide(this.existing,
				new Live(this.existing.roleArn(), notTransfer, null, false, List.of(), this.dedicated.tags()));

		assertThat(decision.writes()).isFalse();
		assertThat(decision.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("shared-sftp cannot be used",
					"does not let transfer.amazonaws.com sts:AssumeRole for user " + this.existing.userArn()));
		assertThat(this.resource
			.decide(this.existing,
					new Live(this.existing.roleArn(), trust(), null, false, List.of(), this.dedicated.tags()))
			.problems()).isEmpty();
		assertThat(this.resource.decide(this.existing, null).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("does not exist"));
	}

	@Test
	void aPermissionsBoundaryOnAnExistingRoleIsAWarning() {
		Decision<Work> decision = this.resource.decide(this.existing,
				new Live(this.existing.roleArn(), trust(), BOUNDARY, false, List.of(), this.dedicated.tags()));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("permissions boundary " + BOUNDARY,
					"only if the boundary allows"));
		assertThat(decision.changes().get(0).after()).contains("\"PermissionsBoundary\" : \"" + BOUNDARY);
	}

	@Test
	void existingRolesAreAcceptedOnlyUnderTheConfiguredPathsBeforeAnyAwsCall() {
		IamClient iam = mock();
		UserRole none = new UserRole(iam, TestTargets.properties(null, List.of()));
		UserRole partners = new UserRole(iam, TestTargets.properties(null, List.of("/transfer/", "/partners/")));
		Target elsewhere = TestTargets.resolve(spec("arn:aws:iam::123456789012:role/ci/deploy"));
		Target atRoot = TestTargets.resolve(spec("arn:aws:iam::123456789012:role/deploy"));

		assertThat(none.checkInputs(this.existing)).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("roleArn");
			assertThat(violation.message()).contains("portal.provisioning.existing-role-paths");
		});
		assertThat(partners.checkInputs(elsewhere)).singleElement()
			.satisfies((violation) -> assertThat(violation.message())
				.contains("IAM path /ci/ is not under an allowed path [/transfer/, /partners/]"));
		assertThat(partners.checkInputs(atRoot)).singleElement()
			.satisfies((violation) -> assertThat(violation.message()).contains("IAM path / is not"));
		assertThat(none.checkInputs(this.dedicated)).isEmpty();
		verifyNoInteractions(iam);
	}

	@Test
	void aDedicatedRoleIsCreatedWithTheConfiguredBoundaryAndADifferentOrMissingOneIsDrift() {
		Target bounded = TestTargets.resolve(spec(null), TestTargets.properties(BOUNDARY, List.of()));

		Decision<Work> create = this.resource.decide(bounded, null);
		assertThat(create.changes().get(0).summary()).endsWith("with permissions boundary " + BOUNDARY);
		assertThat(create.changes().get(0).after()).contains("\"PermissionsBoundary\" : \"" + BOUNDARY + "\"");

		Live removed = new Live(bounded.roleArn(), bounded.trustPolicy(), null, true, List.of(), this.dedicated.tags());
		Decision<Work> repair = this.resource.decide(bounded, removed);
		assertThat(repair.work()).isEqualTo(new Work(ChangeAction.UPDATE, false, true, Map.of(), List.of()));
		assertThat(repair.changes().get(0).summary()).isEqualTo("Repair permissions boundary: none -> " + BOUNDARY);

		Live other = new Live(bounded.roleArn(), bounded.trustPolicy(),
				"arn:aws:iam::123456789012:policy/something-else", true, List.of(), this.dedicated.tags());
		assertThat(this.resource.decide(bounded, other).changes().get(0).summary())
			.contains("permissions boundary: arn:aws:iam::123456789012:policy/something-else -> " + BOUNDARY);

		Live right = new Live(bounded.roleArn(), bounded.trustPolicy(), BOUNDARY, true, List.of(),
				this.dedicated.tags());
		assertThat(this.resource.decide(bounded, right).writes()).isFalse();
		// without a configured boundary, one set by someone else is left alone
		assertThat(
				this.resource
					.decide(this.dedicated,
							new Live(this.dedicated.roleArn(), trust(), BOUNDARY, true, List.of(),
									this.dedicated.tags()))
					.writes())
			.isFalse();
	}

	@Test
	void missingOrChangedTagsOfADedicatedRoleAreSetAndOthersKept() {
		Map<String, String> live = new HashMap<>(this.dedicated.tags());
		live.remove("transfer-portal:user");
		live.put("backup", "daily");

		Decision<Work> decision = this.resource.decide(this.dedicated,
				new Live(this.dedicated.roleArn(), trust(), null, true, List.of(), live));

		assertThat(decision.work())
			.isEqualTo(new Work(ChangeAction.UPDATE, false, false, Map.of("transfer-portal:user", "alice"), List.of()));
		assertThat(decision.changes().get(0).summary()).isEqualTo("Repair tags: set transfer-portal:user=alice");
		assertThat(decision.changes().get(0).after()).contains("\"backup\" : \"daily\"",
				"\"transfer-portal:user\" : \"alice\"");
	}

	@Test
	void aChangeRemovesTagsThePortalSetAndKeepsTagsOthersAddedAndThePortalsOwn() {
		Target before = TestTargets.resolve(spec(null, Map.of("cost-center", "4711", "team", "payments")));
		Target change = TestTargets.resolveChange(before.spec(), spec(null, Map.of("team", "payments")));
		Map<String, String> live = new HashMap<>(before.tags());
		live.put("backup", "daily");

		Decision<Work> decision = this.resource.decide(change,
				new Live(change.roleArn(), change.trustPolicy(), null, true, List.of(), live));

		assertThat(decision.work())
			.isEqualTo(new Work(ChangeAction.UPDATE, false, false, Map.of(), List.of("cost-center")));
		assertThat(decision.changes().get(0).summary()).isEqualTo("Repair tags: remove tag cost-center");
		assertThat(decision.changes().get(0).before()).contains("\"cost-center\" : \"4711\"");
		assertThat(decision.changes().get(0).after()).doesNotContain("cost-center")
			.contains("\"backup\" : \"daily\"", "\"team\" : \"payments\"",
					"\"" + Target.MANAGED_TAG + "\" : \"" + Target.MANAGED_TAG_VALUE + "\"");
		// already gone (a repeated run, or removed by hand): nothing to write
		live.remove("cost-center");
		assertThat(this.resource
			.decide(change, new Live(change.roleArn(), change.trustPolicy(), null, true, List.of(), live))
			.writes()).isFalse();
	}

	@Test
	void anUpdateRemovesTagsWithOneUntagRoleCall() {
		IamClient iam = mock(IamClient.class, CALLS_REAL_METHODS);
		willReturn(UntagRoleResponse.builder().build()).given(iam).untagRole(any(UntagRoleRequest.class));
		UserRole role = new UserRole(iam, TestTargets.PROPERTIES);

		role.write(this.dedicated, new Work(ChangeAction.UPDATE, false, false, Map.of(), List.of("cost-center")));

		ArgumentCaptor<UntagRoleRequest> request = ArgumentCaptor.forClass(UntagRoleRequest.class);
		verify(iam).untagRole(request.capture());
		assertThat(request.getValue().roleName()).isEqualTo(this.dedicated.roleName());
		assertThat(request.getValue().tagKeys()).containsExactly("cost-center");
		verify(iam, never()).tagRole(any(TagRoleRequest.class));
	}

	@Test
	void removalDeletesOnlyAnUnsharedManagedRoleWithoutForeignPolicies() {
		assertThat(this.resource.decideRemoval(this.dedicated, live(true), Sharing.NONE).work()).isEqualTo(Work.DELETE);
		assertThat(this.resource.decideRemoval(this.dedicated, live(true), new Sharing(true, false)).writes())
			.isFalse();
		assertThat(this.resource
			.decideRemoval(this.dedicated,
					new Live(this.dedicated.roleArn(), trust(), null, true, List.of("AdminAccess"),
							this.dedicated.tags()),
					Sharing.NONE)
			.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("AdminAccess", "did not add"));
		assertThat(this.resource.decideRemoval(this.dedicated, live(false), Sharing.NONE).problems()).isNotEmpty();
		assertThat(this.resource.decideRemoval(this.existing, live(false), Sharing.NONE).writes()).isFalse();
		assertThat(this.resource.decideRemoval(this.dedicated, null, Sharing.NONE).changes().get(0).action())
			.isEqualTo(ChangeAction.NONE);
	}

	private Live live(boolean managed) {
		return new Live(this.dedicated.roleArn(), trust(), null, managed, List.of(), this.dedicated.tags());
	}

	private IamPolicy trust() {
		return this.dedicated.trustPolicy();
	}

	private static UserSpec spec(String roleArn) {
		return spec(roleArn, Map.of());
	}

	private static UserSpec spec(String roleArn, Map<String, String> tags) {
		return new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY, List.of(),
				AccessLevel.READ_WRITE, roleArn, tags);
	}

}
