package io.transferportal.requests;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.UserSpec;

/**
 * One new user asked for in a batch.
 *
 * @param spec the user, as for a single provision request
 * @param expiresAt when its access ends; {@code null} for never
 */
public record BatchItem(UserSpec spec, @Nullable Instant expiresAt) {
}
