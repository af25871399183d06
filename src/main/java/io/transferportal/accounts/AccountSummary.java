package io.transferportal.accounts;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What other modules may know about an account: never its password or token hash.
 *
 * @param username the sign-in name
 * @param roles what the account may do, in declaration order
 * @param enabled whether an administrator allows the account to sign in
 * @param locked whether the account is locked after too many failed sign-ins
 */
public record AccountSummary(String username, Set<PortalRole> roles, boolean enabled, boolean locked) {

	public AccountSummary {
		roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
	}

}
