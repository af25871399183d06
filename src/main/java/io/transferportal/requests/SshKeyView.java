package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.SshKey;

/**
 * One of a managed user's SSH keys, with its standing.
 *
 * @param fingerprint SHA-256 fingerprint
 * @param type key type
 * @param comment the key's comment
 * @param importedAt when Transfer imported it
 * @param status whether it is in use, due for rotation, or not on the user
 */
public record SshKeyView(String fingerprint, String type, @Nullable String comment, @Nullable Instant importedAt,
		Status status) {

	/**
	 * The key's standing: a key older than {@code maxAge} is due for rotation.
	 * @param maxAge {@code null} when keys never fall due
	 */
	static SshKeyView of(SshKey key, @Nullable Duration maxAge, Clock clock) {
		Status status;
		if (key.importedAt() == null) {
			status = Status.NOT_IMPORTED;
		}
		else if (maxAge != null && key.importedAt().plus(maxAge).isBefore(clock.instant())) {
			status = Status.ROTATION_DUE;
		}
		else {
			status = Status.ACTIVE;
		}
		return new SshKeyView(key.fingerprint(), key.type(), key.comment(), key.importedAt(), status);
	}

	public enum Status {

		/** On the user and not due. */
		ACTIVE,

		/** Older than {@code portal.lifecycle.max-ssh-key-age}. */
		ROTATION_DUE,

		/** Requested but not on the user (the Transfer-user check says so). */
		NOT_IMPORTED

	}

}
