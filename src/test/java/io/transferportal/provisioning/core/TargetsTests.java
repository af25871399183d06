package io.transferportal.provisioning.core;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a request becomes names and documents, above all the role: dedicated, shared
 * ({@code role-mode=shared}) or existing, and which one a stored request keeps.
 */
class TargetsTests {

	private static final String KEY = "arn:aws:kms:us-east-1:" + AwsFixtures.ACCOUNT
			+ ":key/1234abcd-12ab-34cd-56ef-1234567890ab";

	private static final String OTHER_KEY = "arn:aws:kms:us-east-1:" + AwsFixtures.ACCOUNT
			+ ":key/abcd1234-12ab-34cd-56ef-1234567890ab";

	private final Targets shared = TestTargets.targets(TestTargets.sharedRoles());

	private final Targets dedicated = TestTargets.targets(TestTargets.properties(null, List.of()));

	@Test
	void inSharedModeUsersOfOneBucketKeyAndLevelGetOneSharedRole() {
		Target alice = this.shared.resolve(this.shared.newRequest(spec("alice", "data", KEY, AccessLevel.READ_WRITE)));
		Target bob = this.shared.resolve(this.shared.newRequest(spec("bob", "data", KEY, AccessLevel.READ_WRITE)));

		assertThat(alice.sharedRole()).isTrue();
		assertThat(alice.portalRole()).isTrue();
		assertThat(alice.roleArn()).isEqualTo(bob.roleArn())
			.startsWith("arn:aws:iam::" + AwsFixtures.ACCOUNT
					+ ":role/transfer-portal/shared/transfer-portal-shared-data-rw-");
		assertThat(alice.rolePath()).isEqualTo("/transfer-portal/shared/");
		assertThat(alice.spec().roleArn()).as("the request records its role").isEqualTo(alice.roleArn());
		assertThat(alice.roleTags()).containsOnlyKeys(Target.MANAGED_TAG, Target.SHARED_TAG);
		// trusted for the account's Transfer users; each user's own limits are its
		// session policy
		assertThat(Policies.sameMeaning(alice.trustPolicy(),
				TransferPolicies.sharedTrustPolicy("aws", "us-east-1", AwsFixtures.ACCOUNT)))
			.isTrue();
		assertThat(Policies.compact(alice.rolePolicy())).contains("arn:aws:s3:::data/*").doesNotContain("alice");
		assertThat(Policies.compact(alice.sessionPolicy())).contains("arn:aws:s3:::data/alice/*");
		assertThat(Policies.compact(bob.sessionPolicy())).contains("arn:aws:s3:::data/bob/*");
	}

	@Test
	void anotherLevelKeyOrBucketIsAnotherSharedRole() {
		String readWrite = roleOf(this.shared, spec("alice", "data", KEY, AccessLevel.READ_WRITE));

		assertThat(roleOf(this.shared, spec("carol", "data", KEY, AccessLevel.READ_ONLY))).isNotEqualTo(readWrite)
			.contains("-ro-");
		assertThat(roleOf(this.shared, spec("dave", "data", OTHER_KEY, AccessLevel.READ_WRITE)))
			.isNotEqualTo(readWrite);
		assertThat(roleOf(this.shared, spec("erin", "other", KEY, AccessLevel.READ_WRITE))).isNotEqualTo(readWrite);
	}

	@Test
	void aStoredRequestKeepsItsKindOfRoleWhateverTheModeSaysNow() {
		UserSpec provisionedDedicated = spec("alice", "data", KEY, AccessLevel.READ_WRITE);
		UserSpec provisionedShared = this.shared.newRequest(spec("bob", "data", KEY, AccessLevel.READ_WRITE));

		assertThat(this.shared.resolve(provisionedDedicated).dedicatedRole()).isTrue();
		assertThat(this.shared.resolve(provisionedDedicated).sharedRole()).isFalse();
		assertThat(this.dedicated.resolve(provisionedShared).sharedRole()).isTrue();
		assertThat(this.dedicated.newRequest(spec("carol", "data", KEY, AccessLevel.READ_WRITE)).roleArn()).isNull();
	}

	@Test
	void aChangeOfAccessLevelMovesTheUserToThatLevelsSharedRole() {
		UserSpec provisioned = this.shared.newRequest(spec("alice", "data", KEY, AccessLevel.READ_WRITE));
		UserSpec changed = new UserSpec(provisioned.serverId(), provisioned.userName(), provisioned.bucket(), null,
				provisioned.kmsKeyArn(), provisioned.sshPublicKeys(), AccessLevel.READ_ONLY, provisioned.roleArn(),
				provisioned.tags());

		Target target = this.dedicated.resolve(changed);

		assertThat(target.roleArn()).isEqualTo(roleOf(this.shared, spec("carol", "data", KEY, AccessLevel.READ_ONLY)));
		assertThat(target.spec().roleArn()).isEqualTo(target.roleArn());
	}

	@Test
	void anExistingRoleStaysTheRequestsRoleInSharedMode() {
		String existing = "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/transfer/partners";
		UserSpec spec = spec("alice", "data", KEY, AccessLevel.READ_WRITE).withRoleArn(existing);

		Target target = this.shared.resolve(this.shared.newRequest(spec));

		assertThat(target.roleArn()).isEqualTo(existing);
		assertThat(target.sharedRole()).isFalse();
		assertThat(target.portalRole()).isFalse();
	}

	@Test
	void aSharedRoleNameStaysWithinIamsSixtyFourCharacters() {
		String bucket = "b".repeat(63);

		Target target = this.shared.resolve(this.shared.newRequest(spec("alice", bucket, KEY, AccessLevel.READ_ONLY)));

		assertThat(target.roleName()).hasSizeLessThanOrEqualTo(64)
			.startsWith("transfer-portal-shared-bbb")
			.endsWith(target.roleName().substring(target.roleName().length() - 8));
		assertThat(target.roleName()).contains("-ro-");
	}

	private static String roleOf(Targets targets, UserSpec spec) {
		return targets.resolve(targets.newRequest(spec)).roleArn();
	}

	private static UserSpec spec(String user, String bucket, String key, AccessLevel level) {
		return new UserSpec("s-0123456789abcdef0", user, bucket, null, key, List.of(TestKeys.ED25519_A), level, null,
				Map.of("team", "payments"));
	}

}
