package io.transferportal.provisioning;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.validation.SshPublicKeys;

/**
 * One of a user's SSH public keys as Transfer holds it.
 *
 * @param fingerprint SHA-256 fingerprint, as {@code ssh-keygen -l} prints it
 * @param type key type, e.g. {@code ssh-ed25519}
 * @param comment the key's comment, {@code null} for none
 * @param importedAt when Transfer imported it ({@code DateImported}); {@code null} when
 * the requested key is not on the user
 */
public record SshKey(String fingerprint, String type, @Nullable String comment, @Nullable Instant importedAt) {

	/**
	 * A key line without its comment: two lines with the same identity are the same key
	 * (what Transfer compares on import).
	 */
	public static String identity(String line) {
		return SshPublicKeys.identity(line);
	}

	/**
	 * Whether a text holds a private key (PEM or OpenSSH, or a PuTTY {@code .ppk}), what
	 * a person pastes by mistake instead of the public key.
	 */
	public static boolean holdsPrivateKey(@Nullable String text) {
		return SshPublicKeys.holdsPrivateKey(text);
	}

	/** The SHA-256 fingerprint of a key line; {@code null} if it does not parse. */
	public static @Nullable String fingerprintOf(String line) {
		try {
			return SshPublicKeys.parse(line, 0).fingerprint();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
