package io.transferportal.ticketing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who calls the API: an integration (scopes only, never roles, so it can never approve)
 * or a person with a personal token (their roles; reading for every role, writing for
 * requesters and admins).
 */
final class ApiCaller extends AbstractAuthenticationToken {

	private final String name;

	private final boolean person;

	private ApiCaller(String name, boolean person, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.name = name;
		this.person = person;
		setAuthenticated(true);
	}

	static ApiCaller client(String name, Set<String> scopes) {
		return new ApiCaller("api:" + name, false,
				scopes.stream().map((s) -> new SimpleGrantedAuthority("SCOPE_" + s)).toList());
	}

	static ApiCaller person(String username, Collection<String> roles) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		roles.forEach((role) -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
		if (!roles.isEmpty()) {
			authorities.add(new SimpleGrantedAuthority("SCOPE_" + ApiScopes.READ));
		}
		// changing things (submit, cancel, retry, deprovision) is for requesters and
		// admins; approvers approve
		if (roles.contains("REQUESTER") || roles.contains("ADMIN")) {
			authorities.add(new SimpleGrantedAuthority("SCOPE_" + ApiScopes.WRITE));
		}
		return new ApiCaller(username, true, authorities);
	}

	/** The API client's name (as in {@code api_client}), or the person's user name. */
	String clientName() {
		return this.person ? this.name : this.name.substring("api:".length());
	}

	boolean isPerson() {
		return this.person;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.name;
	}

}
