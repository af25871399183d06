package io.transferportal.provisioning.kms;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.support.AwsFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The key policy's decisions as plain functions, and the write's retry while IAM
 * propagates a new role: KMS rejects a just-created role as an invalid principal until
 * then, which moto (it accepts any principal) cannot show.
 */
class KeyPolicyTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	// real default methods, so the Consumer<Builder> overloads reach the stubbed request
	// overloads
	KmsClient kms = mock(KmsClient.class, CALLS_REAL_METHODS);

	KeyPolicy resource = new KeyPolicy(this.kms, new KeyLookup(this.kms), TestTargets.PROPERTIES);

	Target target = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
			List.of(), AccessLevel.READ_WRITE, null, Map.of()));

	@Test
	void aPolicyThatDelegatesToTheAccountIsLeftAlone() {
		IamPolicy delegating = IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.sid("Enable IAM User Permissions")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":root")
				.addAction("kms:*")
				.addResource("*")
				.build())
			.build();

		Decision<IamPolicy> decision = this.resource.decide(this.target, delegating);

		assertThat(decision.writes()).isFalse();
		assertThat(decision.changes()).singleElement()
			.satisfies((change) -> assertThat(change.summary()).contains("delegates to the account"));
	}

	@Test
	void theRoleIsAddedToThePortalStatementAndEveryOtherStatementStays() {
		IamPolicy original = AwsFixtures.nonDelegatingPolicy();

		Decision<IamPolicy> decision = this.resource.decide(this.target, original);

		assertThat(decision.changes()).singleElement()
			.satisfies((change) -> assertThat(change.action()).isEqualTo(ChangeAction.UPDATE));
		IamPolicy patched = decision.work();
		assertThat(patched.statements().subList(0, 2)).isEqualTo(original.statements());
		assertThat(patched.statements().get(2).sid()).isEqualTo(KeyPolicies.PORTAL_SID);
		assertThat(KeyPolicies.allowsRole(patched, this.target.roleArn(), KEY)).isTrue();
		assertThat(this.resource.decide(this.target, patched).writes()).as("decided again after the write").isFalse();
	}

	@Test
	void aKeyPolicyOverItsQuotaIsAProblem() {
		IamPolicy.Builder large = AwsFixtures.nonDelegatingPolicy().toBuilder();
		for (int i = 0; i < 400; i++) {
			large.addStatement(IamStatement.builder()
				.sid("Filler" + i)
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS,
						"arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/app-with-a-long-name-" + i)
				.addAction("kms:Decrypt")
				.addResource("*")
				.build());
		}

		assertThat(this.resource.decide(this.target, large.build()).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("KMS allows 32768"));
	}

	@Test
	void removalTakesTheRoleOutUnlessAnotherUserNeedsIt() {
		IamPolicy withRole = KeyPolicies.withRole(AwsFixtures.nonDelegatingPolicy(), this.target.roleArn());

		Decision<IamPolicy> removal = this.resource.decideRemoval(this.target, withRole, Sharing.NONE);
		assertThat(removal.changes()).singleElement()
			.satisfies((change) -> assertThat(change.action()).isEqualTo(ChangeAction.UPDATE));
		assertThat(KeyPolicies.portalStatementLists(removal.work(), this.target.roleArn())).isFalse();

		assertThat(this.resource.decideRemoval(this.target, withRole, new Sharing(true, true)).writes()).isFalse();
		assertThat(this.resource.decideRemoval(this.target, AwsFixtures.nonDelegatingPolicy(), Sharing.NONE).writes())
			.isFalse();
	}

	@Test
	void invalidPrincipalRightAfterRoleCreationIsRetriedUntilKmsAcceptsIt() {
		willThrow(invalidPrincipal(), invalidPrincipal()).willReturn(PutKeyPolicyResponse.builder().build())
			.given(this.kms)
			.putKeyPolicy(any(PutKeyPolicyRequest.class));

		this.resource.write(this.target, patched());

		verify(this.kms, times(3)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	@Test
	void retriesAreBoundedAndEndInAProvisioningErrorNamingTheCause() {
		willThrow(invalidPrincipal()).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.target, patched()))
			.withMessageContaining("PutKeyPolicy")
			.withMessageContaining("MalformedPolicyDocumentException");
		verify(this.kms, times(4)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	@Test
	void otherErrorsAreNotRetried() {
		willThrow(NotFoundException.builder().message("gone").build()).given(this.kms)
			.putKeyPolicy(any(PutKeyPolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.target, patched()));
		verify(this.kms, times(1)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	@Test
	void writesAreSerializedPerKey() {
		assertThat(this.resource.lockName(this.target)).isEqualTo("kms-key-policy:" + KEY);
	}

	private IamPolicy patched() {
		return KeyPolicies.withRole(AwsFixtures.nonDelegatingPolicy(), this.target.roleArn());
	}

	private static MalformedPolicyDocumentException invalidPrincipal() {
		return (MalformedPolicyDocumentException) MalformedPolicyDocumentException.builder()
			.awsErrorDetails(AwsErrorDetails.builder()
				.errorCode("MalformedPolicyDocumentException")
				.errorMessage("Policy contains a statement with one or more invalid principals.")
				.build())
			.statusCode(400)
			.build();
	}

}
