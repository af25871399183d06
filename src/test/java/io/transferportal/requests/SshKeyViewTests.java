package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.SshKey;
import io.transferportal.requests.SshKeyView.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** A key's standing follows the clock and portal.lifecycle.max-ssh-key-age. */
class SshKeyViewTests {

	static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	@Test
	void aKeyOlderThanTheMaximumAgeIsDueForRotation() {
		SshKey old = key(NOW.minus(Duration.ofDays(91)));
		SshKey young = key(NOW.minus(Duration.ofDays(89)));

		assertThat(SshKeyView.of(old, Duration.ofDays(90), Set.of(), null, null, this.clock).status())
			.isEqualTo(Status.ROTATION_DUE);
		assertThat(SshKeyView.of(young, Duration.ofDays(90), Set.of(), null, null, this.clock).status())
			.isEqualTo(Status.ACTIVE);
		assertThat(SshKeyView.of(old, null, Set.of(), null, null, this.clock).status()).as("no maximum age: never due")
			.isEqualTo(Status.ACTIVE);
	}

	@Test
	void aRequestedKeyTheUserLacksIsNotImported() {
		SshKeyView view = SshKeyView.of(key(null), Duration.ofDays(90), Set.of(), null, null, this.clock);

		assertThat(view.status()).isEqualTo(Status.NOT_IMPORTED);
		assertThat(view.fingerprint()).isEqualTo("SHA256:abc");
		assertThat(view.comment()).isEqualTo("alice@laptop");
	}

	@Test
	void aKeyARotationRetiresIsRetiringUntilTheOverlapEndsOrTheAccessExpires() {
		SshKey old = key(NOW.minus(Duration.ofDays(200)));
		Instant retireAt = NOW.plus(Duration.ofDays(7));

		SshKeyView retiring = SshKeyView.of(old, Duration.ofDays(90), Set.of("SHA256:abc"), retireAt, null, this.clock);
		assertThat(retiring.status()).as("retiring wins over rotation due").isEqualTo(Status.RETIRING);
		assertThat(retiring.expiresAt()).isEqualTo(retireAt);

		Instant userExpires = NOW.plus(Duration.ofDays(3));
		assertThat(SshKeyView.of(old, null, Set.of("SHA256:abc"), retireAt, userExpires, this.clock).expiresAt())
			.as("the user's access ends first")
			.isEqualTo(userExpires);
		SshKeyView kept = SshKeyView.of(key(NOW), null, Set.of("SHA256:other"), retireAt, userExpires, this.clock);
		assertThat(kept.status()).isEqualTo(Status.ACTIVE);
		assertThat(kept.expiresAt()).as("a kept key ends with the access").isEqualTo(userExpires);
	}

	private static SshKey key(Instant importedAt) {
		return new SshKey("SHA256:abc", "ssh-ed25519", "alice@laptop", importedAt);
	}

}
