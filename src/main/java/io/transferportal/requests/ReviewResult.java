package io.transferportal.requests;

import org.jspecify.annotations.Nullable;

/**
 * What a review decision did.
 *
 * @param user the managed user after the decision
 * @param request the request it started: the removal of a revoked user, or the return of
 * the SSH keys of a confirmed user that was suspended for want of a review; {@code null}
 * for none
 */
public record ReviewResult(ManagedUserView user, @Nullable RequestView request) {
}
