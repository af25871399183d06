package io.transferportal.ticketing;

import java.util.Set;

import io.transferportal.requests.Actor;

/** The scopes an API client can hold. */
public final class ApiScopes {

	public static final String READ = "requests:read";

	public static final String WRITE = Actor.WRITE_SCOPE;

	public static final Set<String> ALL = Set.of(READ, WRITE);

	private ApiScopes() {
	}

}
