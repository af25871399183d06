package io.transferportal.provisioning;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

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
}
