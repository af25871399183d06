package io.transferportal.provisioning.iam;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PutRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.PutRolePolicyResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.iam.RolePolicy.Live;
import io.transferportal.provisioning.iam.RolePolicy.Work;
import io.transferportal.provisioning.policy.TransferPolicies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The inline role policy rules as plain functions of the request and the policy as read.
 */
class RolePolicyTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	IamClient iam = mock(IamClient.class, CALLS_REAL_METHODS);

	RolePolicy resource = new RolePolicy(this.iam, TestTargets.PROPERTIES);

	Target dedicated = TestTargets.resolve(spec(null));

	Target existing = TestTargets.resolve(spec("arn:aws:iam::123456789012:role/partners/shared-sftp"));

	@Test
	void aMissingPolicyIsAddedAndADriftedOneRepairedNamingWhatIsMissing() {
		assertThat(this.resource.decide(this.dedicated, new Live(null, 0)).changes().get(0).action())
			.isEqualTo(ChangeAction.CREATE);
		Decision<Work> drifted = this.resource.decide(this.dedicated, new Live(TransferPolicies.kmsOnlyPolicy(KEY), 0));
		assertThat(drifted.work()).isEqualTo(Work.PUT);
		assertThat(drifted.changes().get(0).summary()).startsWith("Repair inline policy");
		assertThat(this.resource.decide(this.dedicated, new Live(this.dedicated.rolePolicy(), 0)).writes()).isFalse();
	}

	@Test
	void anExistingRoleGetsOnlyTheKmsStatementInAPolicyNamedAfterTheKey() {
		assertThat(this.existing.rolePolicyName())
			.isEqualTo("transfer-portal-kms-1234abcd-12ab-34cd-56ef-1234567890ab");
		assertThat(this.resource.decide(this.existing, new Live(null, 0)).changes().get(0).summary())
			.doesNotContain("home folder");
	}

	@Test
	void theRolesInlinePoliciesTogetherMustStayWithinTheIamQuota() {
		assertThat(this.resource.decide(this.existing, new Live(null, RolePolicy.MAX_INLINE_POLICY_CHARS)).problems())
			.singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("IAM allows 10240"));
		assertThat(this.resource.decide(this.existing, new Live(null, 1000)).problems()).isEmpty();
	}

	@Test
	void removalKeepsThePolicyWhileAnotherUserNeedsIt() {
		Live present = new Live(this.dedicated.rolePolicy(), 0);
		assertThat(this.resource.decideRemoval(this.dedicated, present, Sharing.NONE).work()).isEqualTo(Work.DELETE);
		assertThat(this.resource.decideRemoval(this.dedicated, present, new Sharing(true, false)).writes()).isFalse();
		// on an existing role only users with the same key share this policy
		assertThat(this.resource.decideRemoval(this.existing, present, new Sharing(true, false)).work())
			.isEqualTo(Work.DELETE);
		assertThat(this.resource.decideRemoval(this.existing, present, new Sharing(true, true)).writes()).isFalse();
		assertThat(this.resource.decideRemoval(this.dedicated, new Live(null, 0), Sharing.NONE).writes()).isFalse();
	}

	@Test
	void theKmsActionsFollowTheAccessLevelOnADedicatedRoleAndCoverBothOnAnExistingOne() {
		Target readOnly = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
				List.of(), AccessLevel.READ_ONLY, null, Map.of()));
		assertThat(this.resource.decide(readOnly, new Live(null, 0)).changes().get(0).summary())
			.endsWith("home folder access and kms:Decrypt on the key");
		assertThat(this.resource.decide(this.dedicated, new Live(null, 0)).changes().get(0).summary())
			.endsWith("kms:Decrypt, kms:GenerateDataKey on the key");
		assertThat(this.resource.decide(this.existing, new Live(null, 0)).changes().get(0).summary())
			.endsWith("kms:Decrypt, kms:GenerateDataKey on the key");
	}

	@Test
	void aRoleIamDoesNotKnowYetRightAfterItsCreationIsRetried() {
		willThrow(noSuchEntity(), noSuchEntity()).willReturn(PutRolePolicyResponse.builder().build())
			.given(this.iam)
			.putRolePolicy(any(PutRolePolicyRequest.class));

		this.resource.write(this.dedicated, Work.PUT);

		verify(this.iam, times(3)).putRolePolicy(any(PutRolePolicyRequest.class));
	}

	@Test
	void aRoleThatStaysUnknownFailsAfterTheBoundedRetries() {
		willThrow(noSuchEntity()).given(this.iam).putRolePolicy(any(PutRolePolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.dedicated, Work.PUT))
			.withMessageContaining("PutRolePolicy transfer-portal-access failed (NoSuchEntity");
		// the first attempt and TestTargets' three retries
		verify(this.iam, times(4)).putRolePolicy(any(PutRolePolicyRequest.class));
	}

	@Test
	void otherIamErrorsAreNotRetried() {
		willThrow(MalformedPolicyDocumentException.builder()
			.awsErrorDetails(AwsErrorDetails.builder().errorCode("MalformedPolicyDocument").build())
			.build()).given(this.iam).putRolePolicy(any(PutRolePolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.dedicated, Work.PUT));
		verify(this.iam, times(1)).putRolePolicy(any(PutRolePolicyRequest.class));
	}

	private static NoSuchEntityException noSuchEntity() {
		return (NoSuchEntityException) NoSuchEntityException.builder()
			.awsErrorDetails(AwsErrorDetails.builder()
				.errorCode("NoSuchEntity")
				.errorMessage("The role with name transfer-portal-alice cannot be found.")
				.build())
			.build();
	}

	private static UserSpec spec(String roleArn) {
		return new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY, List.of(),
				AccessLevel.READ_WRITE, roleArn, Map.of());
	}

}
