package io.transferportal.ticketing;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import io.transferportal.accounts.PortalRole;
import io.transferportal.requests.Actor;

/**
 * Who calls the API: an integration (its scopes, never a person, so it can never approve)
 * or a person with a personal token. The URL rules use the authorities only for reading
 * ({@code requests:read}: every integration with that scope, every person with a portal
 * role); what a caller may change is decided by the requests module from the
 * {@link #actor()}, with a person's roles as stored at that moment.
 */
final class ApiCaller extends AbstractAuthenticationToken {

	private final String name;

	private final Actor actor;

	private ApiCaller(String name, Actor actor, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.name = name;
		this.actor = actor;
		setAuthenticated(true);
	}

	static ApiCaller client(String name, Set<String> scopes) {
		String actorName = "api:" + name;
		return new ApiCaller(name, Actor.integration(actorName, scopes),
				scopes.stream().map((s) -> new SimpleGrantedAuthority("SCOPE_" + s)).toList());
	}

	static ApiCaller person(String username, Set<PortalRole> roles) {
		List<GrantedAuthority> authorities = roles.isEmpty() ? List.of()
				: List.of(new SimpleGrantedAuthority("SCOPE_" + ApiScopes.READ));
		return new ApiCaller(username, Actor.person(username), authorities);
	}

	/** The acting party of an API call, for the requests module's commands. */
	static Actor actor(Authentication authentication) {
		return ((ApiCaller) authentication).actor;
	}

	/** The API client's name (as in {@code api_client}), or the person's user name. */
	String clientName() {
		return this.name;
	}

	Actor actor() {
		return this.actor;
	}

	@Override
	public String getName() {
		return this.actor.name();
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.actor.name();
	}

}
