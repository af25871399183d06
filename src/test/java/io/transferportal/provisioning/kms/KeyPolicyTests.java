package io.transferportal.provisioning.kms;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.TestAccounts;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.support.AwsFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The key policy's decisions as plain functions, and what moto cannot show: KMS rejecting
 * a just-created role as an invalid principal until IAM has propagated it (moto accepts
 * any principal), a key policy read back late after a write (moto is consistent at once),
 * AccessDenied for the portal itself (moto enforces no key policy), and AWS managed keys
 * and expiring imported key material (moto creates neither).
 */
class KeyPolicyTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	/** What the portal calls AWS as in {@link TestAccounts#fixed}. */
	static final String PORTAL_ROLE = "arn:aws:iam::123456789012:role/transfer-portal";

	// real default methods, so the Consumer<Builder> overloads reach the stubbed request
	// overloads
	KmsClient kms = mock(KmsClient.class, CALLS_REAL_METHODS);

	KeyPolicy resource = new KeyPolicy(this.kms, new KeyLookup(this.kms),
			TestAccounts.fixed(AwsFixtures.ACCOUNT, "us-east-1"), TestTargets.PROPERTIES);

	Target target = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
			List.of(), AccessLevel.READ_WRITE, null, Map.of()));

	@Test
	void aPolicyThatDelegatesToTheAccountIsLeftAlone() {
		IamPolicy delegating = IamPolicy.builder().addStatement(AwsFixtures.accountDelegation()).build();

		Decision<PolicyWrite> decision = this.resource.decide(this.target, live(delegating));

		assertThat(decision.writes()).isFalse();
		assertThat(decision.changes()).singleElement()
			.satisfies((change) -> assertThat(change.summary()).contains("delegates to the account"));
	}

	@Test
	void theRoleIsAddedToThePortalStatementAndEveryOtherStatementStays() {
		IamPolicy original = AwsFixtures.nonDelegatingPolicy();

		Decision<PolicyWrite> decision = this.resource.decide(this.target, live(original));

		assertThat(decision.changes()).singleElement()
			.satisfies((change) -> assertThat(change.action()).isEqualTo(ChangeAction.UPDATE));
		IamPolicy patched = decision.work().policy();
		assertThat(patched.statements().subList(0, 2)).isEqualTo(original.statements());
		assertThat(patched.statements().get(2).sid()).isEqualTo(KeyPolicies.PORTAL_SID);
		assertThat(KeyPolicies.allowsRole(patched, this.target.roleArn(), KEY)).isTrue();
		assertThat(this.resource.decide(this.target, live(patched)).writes()).as("decided again after the write")
			.isFalse();
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

		assertThat(this.resource.decide(this.target, live(large.build())).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("KMS allows 32768"));
	}

	@Test
	void removalTakesTheRoleOutUnlessAnotherUserNeedsIt() {
		IamPolicy withRole = KeyPolicies.withRole(AwsFixtures.nonDelegatingPolicy(), this.target.roleArn());

		Decision<PolicyWrite> removal = this.resource.decideRemoval(this.target, live(withRole), Sharing.NONE);
		assertThat(removal.changes()).singleElement()
			.satisfies((change) -> assertThat(change.action()).isEqualTo(ChangeAction.UPDATE));
		assertThat(KeyPolicies.portalStatementLists(removal.work().policy(), this.target.roleArn())).isFalse();
		assertThat(removal.work().allowsRole()).isFalse();

		assertThat(this.resource.decideRemoval(this.target, live(withRole), new Sharing(true, true)).writes())
			.isFalse();
		assertThat(this.resource.decideRemoval(this.target, live(AwsFixtures.nonDelegatingPolicy()), Sharing.NONE)
			.writes()).isFalse();
	}

	// rule 8: IAM propagation and the re-read after PutKeyPolicy

	@Test
	void theDefaultRetryCoversTheTwoMinutesKmsMayTakeToSeeANewRole() {
		ProvisioningProperties defaults = new Binder(new MapConfigurationPropertySource())
			.bindOrCreate("portal.provisioning", ProvisioningProperties.class);
		ProvisioningProperties.Propagation propagation = defaults.iamPropagation();

		Duration waited = Duration.ZERO;
		Duration delay = propagation.delay();
		for (int i = 0; i < propagation.maxRetries(); i++) {
			waited = waited.plus(delay);
			delay = delay.multipliedBy(2);
			if (delay.compareTo(propagation.maxDelay()) > 0) {
				delay = propagation.maxDelay();
			}
		}

		assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void invalidPrincipalRightAfterRoleCreationIsRetriedUntilKmsAcceptsIt() {
		willThrow(invalidPrincipal(), invalidPrincipal()).willReturn(PutKeyPolicyResponse.builder().build())
			.given(this.kms)
			.putKeyPolicy(any(PutKeyPolicyRequest.class));
		storedPolicies(patched().policy());

		this.resource.write(this.target, patched());

		verify(this.kms, times(3)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	@Test
	void retriesAreBoundedAndEndInAProvisioningErrorNamingTheCause() {
		willThrow(invalidPrincipal()).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.target, patched()))
			.withMessageContaining("PutKeyPolicy")
			.withMessageContaining("MalformedPolicyDocumentException")
			.withMessageContaining("invalid principals");
		verify(this.kms, times(4)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	@Test
	void aMalformedPolicyThatIsNotAboutPrincipalsIsNotRetried() {
		willThrow(malformed("The new key policy will not allow you to update the key policy in the future."))
			.given(this.kms)
			.putKeyPolicy(any(PutKeyPolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.target, patched()))
			.withMessageContaining("will not allow you to update the key policy");
		verify(this.kms, times(1)).putKeyPolicy(any(PutKeyPolicyRequest.class));
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
	void theKeyPolicyIsReadBackUntilKmsShowsTheRole() {
		willReturn(PutKeyPolicyResponse.builder().build()).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));
		// eventually consistent: the first read still answers the policy before the write
		storedPolicies(AwsFixtures.nonDelegatingPolicy(), patched().policy());

		this.resource.write(this.target, patched());

		verify(this.kms, times(2)).getKeyPolicy(any(GetKeyPolicyRequest.class));
	}

	@Test
	void aWriteThatKmsNeverShowsFailsClearly() {
		willReturn(PutKeyPolicyResponse.builder().build()).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));
		storedPolicies(AwsFixtures.nonDelegatingPolicy());

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.target, patched()))
			.withMessageContaining("succeeded, but the key policy read back does not allow role "
					+ this.target.roleName() + " in statement " + KeyPolicies.PORTAL_SID);
		verify(this.kms, times(4)).getKeyPolicy(any(GetKeyPolicyRequest.class));
	}

	@Test
	void aRemovalIsDoneWhenTheRoleIsGoneFromThePortalStatement() {
		willReturn(PutKeyPolicyResponse.builder().build()).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));
		IamPolicy withRole = patched().policy();
		PolicyWrite removal = this.resource.decideRemoval(this.target, live(withRole), Sharing.NONE).work();
		storedPolicies(withRole, removal.policy());

		this.resource.write(this.target, removal);

		verify(this.kms, times(2)).getKeyPolicy(any(GetKeyPolicyRequest.class));
	}

	@Test
	void writesAreSerializedPerKey() {
		assertThat(this.resource.lockName(this.target)).isEqualTo("kms-key-policy:" + KEY);
	}

	// rule 9: orphaned principals

	@Test
	void orphansInThePortalStatementAreDroppedAndShownInThePlan() {
		IamPolicy withOrphan = withPortalPrincipals("AROAXXXXXXXXXXXXXXXXX", "AIDAYYYYYYYYYYYYYYYYY",
				"arn:aws:iam::123456789012:role/transfer-portal/transfer-portal-bob");

		Decision<PolicyWrite> decision = this.resource.decide(this.target, live(withOrphan));

		assertThat(decision.problems()).isEmpty();
		assertThat(KeyPolicies.namesOrphans(decision.work().policy())).isFalse();
		assertThat(KeyPolicies.allowsRole(decision.work().policy(),
				"arn:aws:iam::123456789012:role/transfer-portal/transfer-portal-bob", KEY))
			.isTrue();
		assertThat(decision.changes().get(0).warnings())
			.anySatisfy((warning) -> assertThat(warning)
				.contains("remove orphaned principal AROAXXXXXXXXXXXXXXXXX (a deleted role)"))
			.anySatisfy((warning) -> assertThat(warning)
				.contains("remove orphaned principal AIDAYYYYYYYYYYYYYYYYY (a deleted user)"));
	}

	@Test
	void anOrphanInAStatementThePortalDoesNotOwnIsAProblemNamingItsSid() {
		IamPolicy policy = AwsFixtures.nonDelegatingPolicy()
			.copy((builder) -> builder.addStatement(IamStatement.builder()
				.sid("ReportingJobs")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, "AROAZZZZZZZZZZZZZZZZZ")
				.addAction("kms:Decrypt")
				.addResource("*")
				.build()));

		Decision<PolicyWrite> decision = this.resource.decide(this.target, live(policy));

		assertThat(decision.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("Statement \"ReportingJobs\"",
					"AROAZZZZZZZZZZZZZZZZZ (a deleted role)"));
		assertThat(decision.work().policy().statements()).as("left as it is for a person to fix")
			.anySatisfy((statement) -> assertThat(statement.sid()).isEqualTo("ReportingJobs"));
	}

	@Test
	void aPolicyNamingAnOrphanIsNeverSentSoNoRetryIsSpentOnIt() {
		IamPolicy withOrphan = withPortalPrincipals("AROAXXXXXXXXXXXXXXXXX", this.target.roleArn());

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(
					() -> this.resource.write(this.target, new PolicyWrite(withOrphan, this.target.roleArn(), true)))
			.withMessageContaining("orphaned principal");
		verify(this.kms, never()).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	// rule 10: Deny statements

	@Test
	void aDenyThatCertainlyAppliesIsAProblemQuotingItsSid() {
		Decision<PolicyWrite> decision = decideWithDeny("DenyDecryptToEveryone",
				(deny) -> deny.addPrincipal(IamPrincipalType.AWS, "*").addAction("kms:Decrypt"));

		assertThat(decision.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message())
				.contains("Statement \"DenyDecryptToEveryone\" of the key policy denies kms:Decrypt to role "
						+ this.target.roleName(), "Change that statement before approving"));
	}

	@Test
	void aGuardThatDoesNotListThePortalRolesCertainlyApplies() {
		Decision<PolicyWrite> decision = decideWithDeny("OnlyApplicationRoles",
				(deny) -> deny.addPrincipal(IamPrincipalType.AWS, "*")
					.addAction("kms:*")
					.addCondition("StringNotLike", "aws:PrincipalArn", "arn:aws:iam::123456789012:role/apps/*"));

		assertThat(decision.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("\"OnlyApplicationRoles\"",
					"kms:Decrypt, kms:GenerateDataKey"));
	}

	@Test
	void aGuardThatListsThePortalRolesIsNoConcern() {
		Decision<PolicyWrite> decision = decideWithDeny("OnlyKnownRoles",
				(deny) -> deny.addPrincipal(IamPrincipalType.AWS, "*")
					.addAction("kms:*")
					.addCondition("StringNotLike", "aws:PrincipalArn", "arn:aws:iam::123456789012:role/apps/*")
					.addCondition("StringNotLike", "aws:PrincipalArn",
							"arn:aws:iam::123456789012:role/transfer-portal/*"));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).isEmpty();
	}

	@Test
	void aDenyThatMayApplyIsAWarningQuotingItsSid() {
		Decision<PolicyWrite> decision = decideWithDeny("OnlyFromTheVpc",
				(deny) -> deny.addPrincipal(IamPrincipalType.AWS, "*")
					.addAction("kms:Gen*")
					.addCondition("StringNotEquals", "aws:SourceVpce", "vpce-1a2b3c4d"));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).action()).as("the account delegation still holds")
			.isEqualTo(ChangeAction.NONE);
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains(
					"Statement \"OnlyFromTheVpc\" of the key policy denies kms:GenerateDataKey and may apply to role "
							+ this.target.roleName()));
	}

	private Decision<PolicyWrite> decideWithDeny(String sid, UnaryOperator<IamStatement.Builder> deny) {
		IamPolicy policy = IamPolicy.builder()
			.addStatement(AwsFixtures.accountDelegation())
			.addStatement(deny.apply(IamStatement.builder().sid(sid).effect(IamEffect.DENY).addResource("*")).build())
			.build();
		return this.resource.decide(this.target, live(policy));
	}

	// rule 11: keys the portal may not touch, and AccessDenied for the portal

	@Test
	void anAwsManagedKeyIsRefusedWithTheReason() {
		describedAs((key) -> key.keyManager(KeyManagerType.AWS)
			.description("Default key that protects my S3 objects when no other key is defined"));

		assertThat(this.resource.checkInputs(this.target)).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("kmsKeyArn");
			assertThat(violation.message()).contains("AWS managed key", "cannot be changed",
					"use a customer managed key");
		});
		verify(this.kms, never()).getKeyPolicy(any(GetKeyPolicyRequest.class));
	}

	@Test
	void expiringImportedKeyMaterialIsAWarningShowingValidTo() {
		Instant validTo = Instant.parse("2027-03-31T00:00:00Z");
		KeyMetadata expiring = enabledKey().toBuilder()
			.origin(OriginType.EXTERNAL)
			.expirationModel(ExpirationModelType.KEY_MATERIAL_EXPIRES)
			.validTo(validTo)
			.build();

		Decision<PolicyWrite> decision = this.resource.decide(this.target,
				new LiveKey(expiring, AwsFixtures.nonDelegatingPolicy()));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("imported key material", "2027-03-31T00:00:00Z",
					"ValidTo"));
		KeyMetadata notExpiring = expiring.toBuilder()
			.expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)
			.build();
		assertThat(this.resource.decide(this.target, new LiveKey(notExpiring, AwsFixtures.nonDelegatingPolicy()))
			.changes()
			.get(0)
			.warnings()).isEmpty();
	}

	@Test
	void accessDeniedOnDescribeKeyIsAFieldErrorNamingTheStatementTheKeyPolicyNeeds() {
		willThrow(accessDenied("DescribeKey")).given(this.kms).describeKey(any(DescribeKeyRequest.class));

		assertThat(this.resource.checkInputs(this.target)).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("kmsKeyArn");
			assertPortalStatement(violation.message(), "DescribeKey");
		});
	}

	@Test
	void accessDeniedOnGetKeyPolicyIsAFieldErrorWhilePlanning() {
		describedAs(UnaryOperator.identity());
		willThrow(accessDenied("GetKeyPolicy")).given(this.kms).getKeyPolicy(any(GetKeyPolicyRequest.class));

		List<FieldViolation> violations = this.resource.checkInputs(this.target);

		assertThat(violations).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("kmsKeyArn");
			assertPortalStatement(violation.message(), "GetKeyPolicy");
		});
		// and the same words when verification or an apply reads it
		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> this.resource.read(this.target))
			.satisfies((ex) -> assertPortalStatement(ex.getMessage(), "GetKeyPolicy"));
	}

	@Test
	void accessDeniedOnPutKeyPolicyFailsTheApplyNamingTheStatementTheKeyPolicyNeeds() {
		willThrow(accessDenied("PutKeyPolicy")).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.write(this.target, patched()))
			.satisfies((ex) -> assertPortalStatement(ex.getMessage(), "PutKeyPolicy"));
		verify(this.kms, times(1)).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	// rule 12: verification re-checks the key

	@Test
	void aKeyThatCannotBeUsedFailsTheReadWithTheReason() {
		storedPolicies(AwsFixtures.nonDelegatingPolicy());
		describedAs((key) -> key.keyState(KeyState.DISABLED));
		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> this.resource.read(this.target))
			.withMessage("key " + KEY + " is disabled, so no user of it can read or write files");

		describedAs(
				(key) -> key.keyState(KeyState.PENDING_DELETION).deletionDate(Instant.parse("2027-01-08T00:00:00Z")));
		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> this.resource.read(this.target))
			.withMessageContaining("is pending deletion (to be deleted at 2027-01-08T00:00:00Z)");

		describedAs((key) -> key.keyState(KeyState.PENDING_IMPORT));
		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> this.resource.read(this.target))
			.withMessageContaining("is pending import");

		assertThat(this.resource.readForRemoval(this.target).policy()).as("a removal goes ahead in any key state")
			.isNotNull();
	}

	private void assertPortalStatement(String message, String operation) {
		assertThat(message).contains("kms:" + operation, KEY, "IAM policies do not count",
				"{\"Sid\":\"TransferPortalManagesKeyPolicy\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
						+ PORTAL_ROLE
						+ "\"},\"Action\":[\"kms:DescribeKey\",\"kms:GetKeyPolicy\",\"kms:PutKeyPolicy\",\"kms:GenerateDataKey\"],\"Resource\":\"*\"}");
	}

	private PolicyWrite patched() {
		return new PolicyWrite(KeyPolicies.withRole(AwsFixtures.nonDelegatingPolicy(), this.target.roleArn()),
				this.target.roleArn(), true);
	}

	private static IamPolicy withPortalPrincipals(String... principals) {
		return AwsFixtures.nonDelegatingPolicy()
			.copy((builder) -> builder.addStatement(IamStatement.builder()
				.sid(KeyPolicies.PORTAL_SID)
				.effect(IamEffect.ALLOW)
				.addPrincipals(IamPrincipalType.AWS, List.of(principals))
				.addAction("kms:Decrypt")
				.addAction("kms:Encrypt")
				.addAction("kms:GenerateDataKey")
				.addResource("*")
				.build()));
	}

	private static LiveKey live(IamPolicy policy) {
		return new LiveKey(enabledKey(), policy);
	}

	static KeyMetadata enabledKey() {
		return KeyMetadata.builder()
			.arn(KEY)
			.keyId(KEY.substring(KEY.lastIndexOf('/') + 1))
			.keyState(KeyState.ENABLED)
			.keySpec(KeySpec.SYMMETRIC_DEFAULT)
			.keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
			.keyManager(KeyManagerType.CUSTOMER)
			.origin(OriginType.AWS_KMS)
			.build();
	}

	private void describedAs(UnaryOperator<KeyMetadata.Builder> key) {
		willReturn(DescribeKeyResponse.builder().keyMetadata(key.apply(enabledKey().toBuilder()).build()).build())
			.given(this.kms)
			.describeKey(any(DescribeKeyRequest.class));
	}

	/** What GetKeyPolicy answers, one after the other; the last one from then on. */
	private void storedPolicies(IamPolicy first, IamPolicy... then) {
		GetKeyPolicyResponse[] more = List.of(then)
			.stream()
			.map((policy) -> GetKeyPolicyResponse.builder().policy(policy.toJson()).build())
			.toArray(GetKeyPolicyResponse[]::new);
		willReturn(GetKeyPolicyResponse.builder().policy(first.toJson()).build(), (Object[]) more).given(this.kms)
			.getKeyPolicy(any(GetKeyPolicyRequest.class));
	}

	private static MalformedPolicyDocumentException invalidPrincipal() {
		return malformed("Policy contains a statement with one or more invalid principals.");
	}

	private static MalformedPolicyDocumentException malformed(String message) {
		return (MalformedPolicyDocumentException) MalformedPolicyDocumentException.builder()
			.awsErrorDetails(AwsErrorDetails.builder()
				.errorCode("MalformedPolicyDocumentException")
				.errorMessage(message)
				.build())
			.statusCode(400)
			.build();
	}

	/** KMS has no exception class of its own for this code. */
	private static KmsException accessDenied(String operation) {
		return (KmsException) KmsException.builder()
			.awsErrorDetails(AwsErrorDetails.builder()
				.errorCode("AccessDeniedException")
				.errorMessage("User: arn:aws:sts::123456789012:assumed-role/transfer-portal/portal is not authorized to"
						+ " perform: kms:" + operation + " on resource: " + KEY
						+ " because no resource-based policy allows the kms:" + operation + " action")
				.build())
			.statusCode(400)
			.build();
	}

}
