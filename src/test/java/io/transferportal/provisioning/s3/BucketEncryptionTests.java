package io.transferportal.provisioning.s3;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.s3.BucketEncryption.Encryption;

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
		Decision<String> decision = this.resource.decide(this.target, null);

		assertThat(decision.work()).isEqualTo(KEY);
		PlannedChange change = decision.changes().get(0);
		assertThat(change.action()).isEqualTo(ChangeAction.CREATE);
		assertThat(change.after()).contains("aws:kms", KEY, "\"BucketKeyEnabled\" : true");
	}

	@Test
	void theSameKeyByIdArnOrResolvedAliasWithBucketKeyNeedsNothing() {
		assertThat(this.resource.decide(this.target, new Encryption("aws:kms", KEY, KEY, true)).writes()).isFalse();
		assertThat(this.resource
			.decide(this.target, new Encryption("aws:kms", "1234abcd-12ab-34cd-56ef-1234567890ab", null, true))
			.writes()).isFalse();
		assertThat(this.resource.decide(this.target, new Encryption("aws:kms", "alias/inbox", KEY, true)).writes())
			.isFalse();
	}

	@Test
	void bucketKeyOffIsTurnedOnWithAWarningAboutEncryptionContext() {
		Decision<String> decision = this.resource.decide(this.target, new Encryption("aws:kms", KEY, KEY, false));

		assertThat(decision.changes().get(0).action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("encryption context"));
	}

	@Test
	void sseS3IsUpgradedWithABucketWideWarning() {
		Decision<String> decision = this.resource.decide(this.target, new Encryption("AES256", null, null, false));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("whole bucket"));
	}

	@Test
	void anotherKeyTheAwsManagedKeyOrAnotherAlgorithmIsNeverSwitched() {
		String other = "arn:aws:kms:us-east-1:123456789012:key/ffffffff-12ab-34cd-56ef-1234567890ab";
		assertThat(this.resource.decide(this.target, new Encryption("aws:kms", other, other, true)).problems())
			.singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("never switches a bucket's key"));
		assertThat(this.resource.decide(this.target, new Encryption("aws:kms", null, null, true)).problems())
			.singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("aws/s3"));
		assertThat(this.resource.decide(this.target, new Encryption("aws:kms:dsse", KEY, KEY, true)).problems())
			.singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("does not change"));
	}

	@Test
	void removalNeverTurnsEncryptionOff() {
		assertThat(this.resource.decideRemoval(this.target, null, Sharing.NONE).writes()).isFalse();
	}

}
