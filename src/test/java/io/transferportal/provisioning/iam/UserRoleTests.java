package io.transferportal.provisioning.iam;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

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
import static org.mockito.Mockito.mock;

/** The role rules as plain functions of the request and the role as read. */
class UserRoleTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	UserRole resource = new UserRole(mock());

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
		Live drifted = new Live(this.dedicated.roleArn(), other, true, List.of());

		assertThat(this.resource.decide(this.dedicated, drifted).work()).isEqualTo(Work.UPDATE_TRUST);
		assertThat(this.resource.decide(this.dedicated, live(true)).writes()).isFalse();
		assertThat(this.resource.decide(this.dedicated, live(false)).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("not created by the portal"));
	}

	@Test
	void anExistingRoleIsOnlyReadAndWarnedAboutWhenItDoesNotTrustTransfer() {
		IamPolicy notTransfer = IamPolicy.fromJson("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
				+ "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");

		Decision<Work> decision = this.resource.decide(this.existing,
				new Live(this.existing.roleArn(), notTransfer, false, List.of()));

		assertThat(decision.writes()).isFalse();
		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("transfer.amazonaws.com"));
		assertThat(this.resource.decide(this.existing, null).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("does not exist"));
	}

	@Test
	void removalDeletesOnlyAnUnsharedManagedRoleWithoutForeignPolicies() {
		assertThat(this.resource.decideRemoval(this.dedicated, live(true), Sharing.NONE).work()).isEqualTo(Work.DELETE);
		assertThat(this.resource.decideRemoval(this.dedicated, live(true), new Sharing(true, false)).writes())
			.isFalse();
		assertThat(this.resource
			.decideRemoval(this.dedicated, new Live(this.dedicated.roleArn(), trust(), true, List.of("AdminAccess")),
					Sharing.NONE)
			.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("AdminAccess", "did not add"));
		assertThat(this.resource.decideRemoval(this.dedicated, live(false), Sharing.NONE).problems()).isNotEmpty();
		assertThat(this.resource.decideRemoval(this.existing, live(false), Sharing.NONE).writes()).isFalse();
		assertThat(this.resource.decideRemoval(this.dedicated, null, Sharing.NONE).changes().get(0).action())
			.isEqualTo(ChangeAction.NONE);
	}

	private Live live(boolean managed) {
		return new Live(this.dedicated.roleArn(), trust(), managed, List.of());
	}

	private IamPolicy trust() {
		return this.dedicated.trustPolicy();
	}

	private static UserSpec spec(String roleArn) {
		return new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY, List.of(),
				AccessLevel.READ_WRITE, roleArn, Map.of());
	}

}
