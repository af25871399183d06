package io.transferportal.accounts;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What other modules may know about an account: never its password or token hash.
 *
 * @param username the sign-in name
 * @param roles what the account may do, in declaration order
 * @param enabled whether an administrator allows the account to sign in
 * @param signInPausedUntil until when password sign-in with this name is refused on this
 * instance after too many attempts ({@code null} if it is not); an API token and an open
 * session are never affected
 */
public record AccountSummary(String username, Set<PortalRole> roles, boolean enabled,
		@Nullable Instant signInPausedUntil) {

	public AccountSummary {
		roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
	}

}
