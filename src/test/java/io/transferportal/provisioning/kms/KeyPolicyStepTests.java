package io.transferportal.provisioning.kms;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.InProcessProvisioningLocks;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.support.AwsFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * IAM eventual consistency: KMS rejects a just-created role as an invalid principal until
 * IAM has propagated it. moto accepts any principal, so the retry is shown with a mocked
 * client.
 */
class KeyPolicyStepTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	// real default methods, so the Consumer<Builder> overloads reach the stubbed request
	// overloads
	KmsClient kms = mock(KmsClient.class, org.mockito.Mockito.CALLS_REAL_METHODS);

	KeyPolicyStep step = new KeyPolicyStep(this.kms, new KeyLookup(this.kms), new InProcessProvisioningLocks(),
			new ProvisioningProperties("transfer-portal-", "/transfer-portal/", 50, 2048,
					new ProvisioningProperties.Propagation(3, Duration.ofMillis(1), Duration.ofMillis(5))));

	@Test
	void invalidPrincipalRightAfterRoleCreationIsRetriedUntilKmsAcceptsIt() {
		givenKeyPolicy();
		willThrow(invalidPrincipal(), invalidPrincipal()).willReturn(PutKeyPolicyResponse.builder().build())
			.given(this.kms)
			.putKeyPolicy(any(PutKeyPolicyRequest.class));

		List<AppliedChange> applied = this.step.apply(target());

		verify(this.kms, times(3)).putKeyPolicy(any(PutKeyPolicyRequest.class));
		assertThat(applied).singleElement().satisfies((change) -> {
			assertThat(change.resource()).isEqualTo(ResourceKind.KEY_POLICY);
			assertThat(change.outcome()).isEqualTo(AppliedChange.Outcome.UPDATED);
		});
	}

	@Test
	void retriesAreBoundedAndEndInAProvisioningErrorNamingTheCause() {
		givenKeyPolicy();
		willThrow(invalidPrincipal()).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> this.step.apply(target()))
			.withMessageContaining("PutKeyPolicy")
			.withMessageContaining("MalformedPolicyDocumentException");
		verify(this.kms, times(4)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	@Test
	void otherErrorsAreNotRetried() {
		givenKeyPolicy();
		willThrow(NotFoundException.builder().message("gone").build()).given(this.kms)
			.putKeyPolicy(any(PutKeyPolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> this.step.apply(target()));
		verify(this.kms, times(1)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	private void givenKeyPolicy() {
		willReturn(GetKeyPolicyResponse.builder().policy(AwsFixtures.nonDelegatingPolicy().toJson()).build())
			.given(this.kms)
			.getKeyPolicy(any(GetKeyPolicyRequest.class));
	}

	private static MalformedPolicyDocumentException invalidPrincipal() {
		return (MalformedPolicyDocumentException) MalformedPolicyDocumentException.builder()
			.awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
				.errorCode("MalformedPolicyDocumentException")
				.errorMessage("Policy contains a statement with one or more invalid principals.")
				.build())
			.statusCode(400)
			.build();
	}

	private static Target target() {
		UserSpec spec = new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY, List.of(),
				AccessLevel.READ_WRITE, null, Map.of());
		var policy = TransferPolicies.homeFolderPolicy("aws", "payments-inbox", "alice", KEY, AccessLevel.READ_WRITE);
		String userArn = "arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/alice";
		return new Target(spec, "123456789012", "aws", userArn, "transfer-portal-alice-1234abcd",
				"arn:aws:iam::123456789012:role/transfer-portal/transfer-portal-alice-1234abcd", "/transfer-portal/",
				"transfer-portal-access", "arn:aws:s3:::payments-inbox", "alice", KEY,
				TransferPolicies.trustPolicy("123456789012", userArn), policy, policy, List.of(), Map.of());
	}

}
