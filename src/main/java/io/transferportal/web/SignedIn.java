package io.transferportal.web;

import org.springframework.security.core.Authentication;

import io.transferportal.accounts.PortalRole;
import io.transferportal.requests.Actor;

/** The signed-in person as the requests module's commands take them. */
final class SignedIn {

	private SignedIn() {
	}

	/**
	 * A local account by name (its roles are read again by the command); a single sign-on
	 * user ({@code sso:<name>}, a name no local account can have) with the roles their
	 * groups gave at sign-in, because the account store does not know them.
	 */
	static Actor actor(Authentication authentication) {
		String name = authentication.getName();
		return name.startsWith("sso:") ? Actor.ssoPerson(name, PortalRole.of(authentication)) : Actor.person(name);
	}

}
