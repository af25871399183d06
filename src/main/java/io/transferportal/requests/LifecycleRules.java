package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.SshKey;
import io.transferportal.provisioning.UserSpec;

/**
 * The rules of a user's life after provisioning, as pure functions: expiry dates,
 * rotations and the keys they retire.
 */
final class LifecycleRules {

	/** The longest overlap a rotation may ask for. */
	static final Duration MAX_RETIRE_AFTER = Duration.ofDays(90);

	private LifecycleRules() {
	}

	/** An expiry must lie in the future; {@code null} (never, or unchanged) is fine. */
	static List<FieldViolation> checkExpiry(@Nullable Instant expiresAt, Instant now) {
		if (expiresAt != null && !expiresAt.isAfter(now)) {
			return List.of(new FieldViolation("expiresAt", "must be in the future (it is " + expiresAt + ")"));
		}
		return List.of();
	}

	static List<FieldViolation> checkRetireAfter(@Nullable Duration retireAfter) {
		if (retireAfter != null && (retireAfter.isNegative() || retireAfter.compareTo(MAX_RETIRE_AFTER) > 0)) {
			return List.of(new FieldViolation("retireAfter",
					"must be between 0 (remove the old keys at once) and " + MAX_RETIRE_AFTER.toDays() + " days"));
		}
		return List.of();
	}

	/**
	 * What a change of keys from {@code current} to {@code requested} retires later. Keys
	 * are the same when their type and data are (the comment does not count). A change
	 * that removes keys and adds others is a rotation: the removed ones stay for
	 * {@code retireAfter}, by default {@code defaultOverlap}; a change that only removes
	 * keys removes them at once unless {@code retireAfter} says otherwise.
	 */
	static Rotation rotation(List<String> current, List<String> requested, @Nullable Duration retireAfter,
			Duration defaultOverlap) {
		Set<String> kept = identities(requested);
		Set<String> before = identities(current);
		List<String> removed = current.stream().filter((key) -> !kept.contains(SshKey.identity(key))).toList();
		boolean adds = requested.stream().anyMatch((key) -> !before.contains(SshKey.identity(key)));
		Duration overlap = (retireAfter != null) ? retireAfter : (adds ? defaultOverlap : Duration.ZERO);
		if (removed.isEmpty() || overlap.isZero()) {
			return new Rotation(List.of(), Duration.ZERO);
		}
		return new Rotation(removed, overlap);
	}

	/** The spec without the given keys (compared by identity). */
	static UserSpec withoutKeys(UserSpec spec, List<String> keys) {
		Set<String> gone = identities(keys);
		return withKeys(spec,
				spec.sshPublicKeys().stream().filter((key) -> !gone.contains(SshKey.identity(key))).toList());
	}

	static UserSpec withKeys(UserSpec spec, List<String> keys) {
		return new UserSpec(spec.serverId(), spec.userName(), spec.bucket(), spec.homePrefix(), spec.kmsKeyArn(), keys,
				spec.accessLevel(), spec.roleArn(), spec.tags());
	}

	private static Set<String> identities(List<String> keys) {
		return keys.stream().map(SshKey::identity).collect(Collectors.toSet());
	}

	/**
	 * The keys a change keeps for an overlap after it is applied.
	 *
	 * @param retired the keys, empty when the change removes what it removes at once
	 * @param overlap how long they stay
	 */
	record Rotation(List<String> retired, Duration overlap) {

		/** The requested spec with the retired keys kept for the overlap. */
		UserSpec keep(UserSpec requested) {
			if (this.retired.isEmpty()) {
				return requested;
			}
			List<String> keys = new ArrayList<>(requested.sshPublicKeys());
			keys.addAll(this.retired);
			return withKeys(requested, keys);
		}

	}

}
