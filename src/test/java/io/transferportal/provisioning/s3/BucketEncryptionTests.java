package io.transferportal.provisioning.s3;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.s3.BucketEncryption.Bucket;
import io.transferportal.provisioning.s3.BucketEncryption.Encryption;
import io.transferportal.support.AwsFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** The bucket encryption rules as plain functions of the request and the live state. */
class BucketEncryptionTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	BucketEncryption resource = new BucketEncryption(mock(), mock());

	Target target = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
			List.of(), AccessLevel.READ_WRITE, null, Map.of()));

	@Test
	void noDefaultEncryptionIsTurnedOnWithTheKeyAndBucketKey() {
		Decision<Encryption> decision = this.resource.decide(this.target, null);

		assertThat(decision.work()).isEqualTo(Encryption.desired(KEY, null));
		PlannedChange change = decision.changes().get(0);
		assertThat(change.action()).isEqualTo(ChangeAction.CREATE);
		assertThat(change.after()).contains("aws:kms", KEY, "\"BucketKeyEnabled\" : true");
	}

	@Test
	void theSameKeyByIdArnOrResolvedAliasWithBucketKeyNeedsNothing() {
		assertThat(this.resource.decide(this.target, live(new Encryption("aws:kms", KEY, KEY, true, null))).writes())
			.isFalse();
		assertThat(this.resource
			.decide(this.target,
					live(new Encryption("aws:kms", "1234abcd-12ab-34cd-56ef-1234567890ab", null, true, null)))
			.writes()).isFalse();
		assertThat(this.resource.decide(this.target, live(new Encryption("aws:kms", "alias/inbox", KEY, true, null)))
			.writes()).isFalse();
	}

	@Test
	void bucketKeyOffIsTurnedOnWithAWarningAboutEncryptionContext() {
		Decision<Encryption> decision = this.resource.decide(this.target,
				live(new Encryption("aws:kms", KEY, KEY, false, null)));

		assertThat(decision.changes().get(0).action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("encryption context"));
	}

	@Test
	void sseS3IsUpgradedWithABucketWideWarning() {
		Decision<Encryption> decision = this.resource.decide(this.target,
				live(new Encryption("AES256", null, null, false, null)));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("whole bucket"));
	}

	@Test
	void anotherKeyTheAwsManagedKeyOrAnotherAlgorithmIsNeverSwitched() {
		String other = "arn:aws:kms:us-east-1:123456789012:key/ffffffff-12ab-34cd-56ef-1234567890ab";
		assertThat(
				this.resource.decide(this.target, live(new Encryption("aws:kms", other, other, true, null))).problems())
			.singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("never switches a bucket's key"));
		assertThat(
				this.resource.decide(this.target, live(new Encryption("aws:kms", null, null, true, null))).problems())
			.singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("aws/s3"));
		assertThat(this.resource.decide(this.target, live(new Encryption("aws:kms:dsse", KEY, KEY, true, null)))
			.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("does not change"));
	}

	@Test
	void removalNeverTurnsEncryptionOff() {
		assertThat(this.resource.decideRemoval(this.target, null, Sharing.NONE).writes()).isFalse();
	}

	@Test
	void theBlockedEncryptionTypesOfAnSseS3BucketAreShownAndWrittenBackUnchanged() {
		Decision<Encryption> decision = this.resource.decide(this.target,
				live(new Encryption("AES256", null, null, false, List.of("SSE-C"))));

		PlannedChange change = decision.changes().get(0);
		assertThat(change.before()).contains("\"BlockedEncryptionTypes\"", "\"SSE-C\"");
		assertThat(change.after()).contains("\"BlockedEncryptionTypes\"", "\"SSE-C\"", KEY);
		assertThat(decision.work()).isEqualTo(Encryption.desired(KEY, List.of("SSE-C")));
		ServerSideEncryptionRule rule = onlyRule(BucketEncryption.request(this.target, decision.work()));
		assertThat(rule.blockedEncryptionTypes().encryptionType()).containsExactly(EncryptionType.SSE_C);
	}

	@Test
	void turningOnBucketKeyKeepsTheBlockedEncryptionTypesToo() {
		Decision<Encryption> decision = this.resource.decide(this.target,
				live(new Encryption("aws:kms", KEY, KEY, false, List.of("NONE"))));

		assertThat(decision.work().blockedEncryptionTypes()).containsExactly("NONE");
		assertThat(decision.changes().get(0).after()).contains("\"NONE\"");
	}

	@Test
	void aRuleWithoutBlockedEncryptionTypesIsWrittenWithoutThem() {
		Decision<Encryption> decision = this.resource.decide(this.target, null);

		assertThat(decision.changes().get(0).after()).doesNotContain("BlockedEncryptionTypes");
		assertThat(onlyRule(BucketEncryption.request(this.target, decision.work())).blockedEncryptionTypes()).isNull();
	}

	@Test
	void theWriteNamesThePortalAccountAsBucketOwnerAndSetsKmsKeyAndBucketKey() {
		PutBucketEncryptionRequest request = BucketEncryption.request(this.target,
				Encryption.desired(KEY, List.of("SSE-C")));

		assertThat(request.bucket()).isEqualTo("payments-inbox");
		assertThat(request.expectedBucketOwner()).isEqualTo(AwsFixtures.ACCOUNT);
		ServerSideEncryptionRule rule = onlyRule(request);
		assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
		assertThat(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(KEY);
		assertThat(rule.bucketKeyEnabled()).isTrue();
	}

	@Test
	void getBucketLocationNamesUsEast1ByNoConstraintAndEuWest1ByEu() {
		assertThat(BucketEncryption.regionOf(null)).isEqualTo("us-east-1");
		assertThat(BucketEncryption.regionOf("")).isEqualTo("us-east-1");
		assertThat(BucketEncryption.regionOf("EU")).isEqualTo("eu-west-1");
		assertThat(BucketEncryption.regionOf("eu-central-1")).isEqualTo("eu-central-1");
	}

	@Test
	void aBucketPolicyThatDeniesUploadsWithoutTheEncryptionHeaderIsAWarningEvenWhenNothingChanges() {
		String policy = """
				{"Version": "2012-10-17", "Statement": [{"Sid": "RequireKmsHeader", "Effect": "Deny",
				 "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::payments-inbox/*",
				 "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}]}""";

		Decision<Encryption> decision = this.resource.decide(this.target,
				new Bucket(new Encryption("aws:kms", KEY, KEY, true, null), policy, true));

		assertThat(decision.writes()).isFalse();
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("\"RequireKmsHeader\"", "s3:PutObject"));
	}

	@Test
	void aBucketPolicyThePortalMayNotReadIsAWarning() {
		Decision<Encryption> decision = this.resource.decide(this.target, new Bucket(null, null, false));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).containsExactly(BucketPolicyWarnings.UNREADABLE);
	}

	private static Bucket live(Encryption encryption) {
		return new Bucket(encryption, null, true);
	}

	private static ServerSideEncryptionRule onlyRule(PutBucketEncryptionRequest request) {
		return request.serverSideEncryptionConfiguration().rules().get(0);
	}

}
