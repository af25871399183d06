package io.transferportal.requests;

/** What a request asks for. */
public enum RequestKind {

	/** Create a Transfer user with everything it needs. */
	PROVISION,

	/** Bring a managed user back to its approved state after drift. */
	REPAIR,

	/** Change a managed user's SSH keys, access level or tags. */
	MODIFY,

	/** Remove a managed user and what only it needed. */
	DEPROVISION,

	/**
	 * Bring a Transfer user that exists outside the portal under its management, to its
	 * rules.
	 */
	ADOPT,

	/**
	 * Remove the SSH keys of a user whose access expired (role, policies and files stay);
	 * covered by the approval that granted the access, made by the portal.
	 */
	EXPIRE,

	/**
	 * Remove the SSH keys of a user whose periodic review is overdue, when the portal is
	 * configured to; made by the portal.
	 */
	SUSPEND,

	/**
	 * Remove the SSH keys a rotation retires after its overlap; covered by the rotation's
	 * approval, made by the portal.
	 */
	RETIRE_KEYS,

	/**
	 * Give a user suspended for an overdue review its SSH keys back (its approved
	 * settings again); covered by the approver's review that confirmed its access.
	 */
	REINSTATE;

	/**
	 * Kinds that never wait for an approval of their own: the portal makes them, or a
	 * review makes them, covered by an earlier decision.
	 */
	public boolean isCovered() {
		return this == EXPIRE || this == SUSPEND || this == RETIRE_KEYS || this == REINSTATE;
	}

	/**
	 * Kinds whose plan grants the access the user has afterwards (its requester is
	 * reviewed).
	 */
	public boolean grantsAccess() {
		return this == PROVISION || this == MODIFY || this == ADOPT;
	}

}
