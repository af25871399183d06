package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.SshKey;

/**
 * One of a managed user's SSH keys, with its standing.
 *
 * @param fingerprint SHA-256 fingerprint
 * @param type key type
 * @param comment the key's comment
 * @param importedAt when Transfer imported it
 * @param expiresAt when the portal removes it: a rotation retires it, or the user's
 * access expires; {@code null} for never
 * @param status whether it is in use, due for rotation, retiring, or not on the user
 */
public record SshKeyView(String fingerprint, String type, @Nullable String comment, @Nullable Instant importedAt,
		@Nullable Instant expiresAt, Status status) {

	/**
	 * The key's standing: a key a rotation retires is RETIRING until then; one older than
	 * {@code maxAge} is due for rotation.
	 * @param maxAge {@code null} when keys never fall due
	 * @param retiring the fingerprints of the keys a rotation retires at {@code retireAt}
	 * @param userExpiresAt when the user's access ends, {@code null} for never
	 */
	static SshKeyView of(SshKey key, @Nullable Duration maxAge, Set<String> retiring, @Nullable Instant retireAt,
			@Nullable Instant userExpiresAt, Clock clock) {
		Status status;
		Instant expiresAt = userExpiresAt;
		if (key.importedAt() == null) {
			status = Status.NOT_IMPORTED;
		}
		else if (retiring.contains(key.fingerprint()) && retireAt != null) {
			status = Status.RETIRING;
			expiresAt = (userExpiresAt != null && userExpiresAt.isBefore(retireAt)) ? userExpiresAt : retireAt;
		}
		else if (maxAge != null && key.importedAt().plus(maxAge).isBefore(clock.instant())) {
			status = Status.ROTATION_DUE;
		}
		else {
			status = Status.ACTIVE;
		}
		return new SshKeyView(key.fingerprint(), key.type(), key.comment(), key.importedAt(), expiresAt, status);
	}

	public enum Status {

		/** On the user and not due. */
		ACTIVE,

		/** Older than {@code portal.lifecycle.max-ssh-key-age}. */
		ROTATION_DUE,

		/** Replaced by a rotation; removed when its overlap ends. */
		RETIRING,

		/** Requested but not on the user (the Transfer-user check says so). */
		NOT_IMPORTED

	}

}
