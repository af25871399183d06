package io.transferportal.accounts;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * What a portal user may do; other modules check these roles, so they are part of the
 * module's API.
 */
public enum PortalRole {

	/** Asks for Transfer users. */
	REQUESTER,

	/** Approves or rejects other people's requests. */
	APPROVER,

	/** Manages accounts. */
	ADMIN;

	/** The Spring Security authority for this role, as {@code hasRole(..)} expects it. */
	public String authority() {
		return "ROLE_" + name();
	}

	/**
	 * The portal roles of a signed-in user (Spring Security also grants factor
	 * authorities such as FACTOR_PASSWORD, which are not roles).
	 */
	public static Set<PortalRole> of(Authentication authentication) {
		Set<PortalRole> roles = EnumSet.noneOf(PortalRole.class);
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			for (PortalRole role : values()) {
				if (role.authority().equals(authority.getAuthority())) {
					roles.add(role);
				}
			}
		}
		return roles;
	}

}
