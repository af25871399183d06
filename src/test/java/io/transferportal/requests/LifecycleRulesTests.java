package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/** Expiry dates, rotations and the keys they retire, without AWS. */
class LifecycleRulesTests {

	static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	static final Duration WEEK = Duration.ofDays(7);

	@Test
	void anExpiryMustLieInTheFuture() {
		assertThat(LifecycleRules.checkExpiry(null, NOW)).isEmpty();
		assertThat(LifecycleRules.checkExpiry(NOW.plusSeconds(1), NOW)).isEmpty();
		assertThat(LifecycleRules.checkExpiry(NOW, NOW)).singleElement()
			.satisfies((violation) -> assertThat(violation.field()).isEqualTo("expiresAt"));
	}

	@Test
	void anOverlapIsBetweenNothingAndNinetyDays() {
		assertThat(LifecycleRules.checkRetireAfter(null)).isEmpty();
		assertThat(LifecycleRules.checkRetireAfter(Duration.ZERO)).isEmpty();
		assertThat(LifecycleRules.checkRetireAfter(Duration.ofDays(90))).isEmpty();
		assertThat(LifecycleRules.checkRetireAfter(Duration.ofDays(91))).singleElement()
			.satisfies((violation) -> assertThat(violation.field()).isEqualTo("retireAfter"));
		assertThat(LifecycleRules.checkRetireAfter(Duration.ofSeconds(-1))).hasSize(1);
	}

	@Test
	void replacingAKeyIsARotationThatKeepsTheOldKeyForTheDefaultOverlap() {
		LifecycleRules.Rotation rotation = LifecycleRules.rotation(List.of(TestKeys.ED25519_A),
				List.of(TestKeys.ED25519_B), null, WEEK);

		assertThat(rotation.retired()).containsExactly(TestKeys.ED25519_A);
		assertThat(rotation.overlap()).isEqualTo(WEEK);
		assertThat(rotation.keep(spec(TestKeys.ED25519_B)).sshPublicKeys()).as("both keys during the overlap")
			.containsExactly(TestKeys.ED25519_B, TestKeys.ED25519_A);
	}

	@Test
	void onlyRemovingAKeyRemovesItAtOnceUnlessAnOverlapIsAskedFor() {
		List<String> both = List.of(TestKeys.ED25519_A, TestKeys.ED25519_B);
		LifecycleRules.Rotation removal = LifecycleRules.rotation(both, List.of(TestKeys.ED25519_B), null, WEEK);
		assertThat(removal.retired()).as("a key that must go does not wait").isEmpty();
		assertThat(removal.keep(spec(TestKeys.ED25519_B)).sshPublicKeys()).containsExactly(TestKeys.ED25519_B);

		LifecycleRules.Rotation asked = LifecycleRules.rotation(both, List.of(TestKeys.ED25519_B), Duration.ofDays(2),
				WEEK);
		assertThat(asked.retired()).containsExactly(TestKeys.ED25519_A);
		assertThat(asked.overlap()).isEqualTo(Duration.ofDays(2));
	}

	@Test
	void aRotationWithoutOverlapRemovesTheOldKeyAtOnce() {
		LifecycleRules.Rotation now = LifecycleRules.rotation(List.of(TestKeys.ED25519_A), List.of(TestKeys.ED25519_B),
				Duration.ZERO, WEEK);
		assertThat(now.retired()).isEmpty();
		assertThat(
				LifecycleRules.rotation(List.of(TestKeys.ED25519_A), List.of(TestKeys.ED25519_B), null, Duration.ZERO)
					.retired())
			.as("no configured overlap")
			.isEmpty();
	}

	@Test
	void keysAreTheSameWhateverTheirComment() {
		String recommented = TestKeys.ED25519_A.substring(0, TestKeys.ED25519_A.lastIndexOf(' ')) + " new-laptop";
		LifecycleRules.Rotation rotation = LifecycleRules.rotation(List.of(TestKeys.ED25519_A), List.of(recommented),
				null, WEEK);
		assertThat(rotation.retired()).as("a new comment is not a new key").isEmpty();

		UserSpec spec = spec(TestKeys.ED25519_A, TestKeys.ED25519_B);
		assertThat(LifecycleRules.withoutKeys(spec, List.of(recommented)).sshPublicKeys())
			.containsExactly(TestKeys.ED25519_B);
	}

	private static UserSpec spec(String... keys) {
		return new UserSpec("s-0123456789abcdef0", "alice", "bucket", null,
				"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", List.of(keys),
				AccessLevel.READ_WRITE, null, Map.of());
	}

}
