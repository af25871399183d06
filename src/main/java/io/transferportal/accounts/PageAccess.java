package io.transferportal.accounts;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which portal roles open which pages: the rules the web security chain enforces
 * ({@link SecurityConfiguration}), in one place, so that a 403 page can say which role
 * the page needs. The first rule that matches decides; a page no rule names needs any
 * portal role, and the home page only a signed-in person.
 */
public final class PageAccess {

	/** Every role: what a page no rule names needs (one of them). */
	public static final Set<PortalRole> ANY_ROLE = Set.copyOf(EnumSet.allOf(PortalRole.class));

	static final List<Rule> RULES = List.of(new Rule(null, List.of("/admin/**"), Set.of(PortalRole.ADMIN)),
			new Rule(null, List.of("/approvals/**"), Set.of(PortalRole.APPROVER)),
			new Rule(null, List.of("/requests/new", "/requests/preview"),
					Set.of(PortalRole.REQUESTER, PortalRole.ADMIN)),
			new Rule(HttpMethod.POST, List.of("/requests"), Set.of(PortalRole.REQUESTER, PortalRole.ADMIN)),
			// closing any open request for good overrides its requester and approvers
			new Rule(HttpMethod.POST, List.of("/requests/*/close"), Set.of(PortalRole.ADMIN)),
			// repairs and removals of managed users, and the page confirming a removal
			new Rule(null, List.of("/users/*/*/repair", "/users/*/*/deprovision"), Set.of(PortalRole.ADMIN)));

	private PageAccess() {
	}

	/**
	 * The roles of which a person needs one to open {@code path} with {@code method} (the
	 * path within the application, without its query).
	 */
	public static Set<PortalRole> requiredRoles(String method, String path) {
		PathContainer container = PathContainer.parsePath(path);
		for (Rule rule : RULES) {
			if (rule.matches(method, container)) {
				return rule.roles();
			}
		}
		return ANY_ROLE;
	}

	/**
	 * The roles' names, sorted: as Spring Security's role rules and the pages name them.
	 */
	public static List<String> names(Set<PortalRole> roles) {
		return roles.stream().map(PortalRole::name).sorted().toList();
	}

	/**
	 * The portal roles a signed-in person holds, to tell them on a refused page; none for
	 * nobody signed in.
	 */
	public static Set<PortalRole> rolesOf(@Nullable Authentication authentication) {
		if (authentication == null) {
			return Set.of();
		}
		Set<PortalRole> roles = EnumSet.noneOf(PortalRole.class);
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			for (PortalRole role : PortalRole.values()) {
				if (("ROLE_" + role.name()).equals(authority.getAuthority())) {
					roles.add(role);
				}
			}
		}
		return roles;
	}

	/**
	 * One rule.
	 *
	 * @param method the HTTP method it applies to, {@code null} for all
	 * @param patterns path patterns, as Spring Security's request matchers take them
	 * @param roles one of these is needed
	 */
	record Rule(@Nullable HttpMethod method, List<String> patterns, Set<PortalRole> roles) {

		String[] patternArray() {
			return this.patterns.toArray(String[]::new);
		}

		String[] roleNames() {
			return names(this.roles).toArray(String[]::new);
		}

		boolean matches(String requestMethod, PathContainer path) {
			if (this.method != null && !this.method.matches(requestMethod)) {
				return false;
			}
			return this.patterns.stream()
				.map(PathPatternParser.defaultInstance::parse)
				.anyMatch((PathPattern pattern) -> pattern.matches(path));
		}

	}

}
