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
	DEPROVISION

}
