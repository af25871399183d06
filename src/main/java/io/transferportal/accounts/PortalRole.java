package io.transferportal.accounts;

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

}
