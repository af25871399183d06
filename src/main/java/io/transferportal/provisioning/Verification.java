package io.transferportal.provisioning;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The live status of one Transfer user: one {@link Check} each for bucket encryption,
 * role policy, session policy, key policy, home folder and the Transfer user itself.
 *
 * @param spec the request verified
 * @param checks one check per resource, in display order
 * @param verifiedAt when
 * @param sshKeys the SSH keys the Transfer user holds, as the verification read them;
 * {@code null} when the user could not be read
 */
public record Verification(UserSpec spec, List<Check> checks, Instant verifiedAt, @Nullable SshKeysSeen sshKeys) {

	/** The resources verified, in display order. */
	public static final List<ResourceKind> CHECKED = List.of(ResourceKind.BUCKET_ENCRYPTION, ResourceKind.ROLE_POLICY,
			ResourceKind.SESSION_POLICY, ResourceKind.KEY_POLICY, ResourceKind.HOME_FOLDER, ResourceKind.TRANSFER_USER);

	public Verification {
		checks = List.copyOf(checks);
	}

	public Verification(UserSpec spec, List<Check> checks, Instant verifiedAt) {
		this(spec, checks, verifiedAt, null);
	}

	public boolean allOk() {
		return this.checks.stream().allMatch((check) -> check.status() == CheckStatus.OK);
	}

	public Check check(ResourceKind resource) {
		return this.checks.stream()
			.filter((check) -> check.resource() == resource)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(resource + " is not verified"));
	}

	/**
	 * How many SSH keys a Transfer user holds (requested or not) and when Transfer
	 * imported the oldest, for the dashboard's key count and rotation due.
	 *
	 * @param count how many keys
	 * @param oldestImportedAt the oldest {@code DateImported}; {@code null} without keys
	 */
	public record SshKeysSeen(int count, @Nullable Instant oldestImportedAt) {

		/** A user that does not exist holds none. */
		public static final SshKeysSeen NONE = new SshKeysSeen(0, null);

	}

}
