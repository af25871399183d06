package io.transferportal.requests;

import java.util.Set;

import io.transferportal.accounts.PortalRole;

/**
 * Who may do what with requests: the one place these rules are decided, for the web UI,
 * the REST API and every other caller. The four-eyes rules (nobody decides their own
 * request, nobody approves the same plan twice) stay with the request itself
 * ({@link ApprovalPolicy}).
 *
 * <table>
 * <caption>The access matrix</caption>
 * <tr>
 * <th>Command</th>
 * <th>A person (roles held now)</th>
 * <th>An integration</th>
 * </tr>
 * <tr>
 * <td>submit</td>
 * <td>REQUESTER or ADMIN</td>
 * <td>{@code requests:write}</td>
 * </tr>
 * <tr>
 * <td>cancel</td>
 * <td>the person who submitted it</td>
 * <td>the client that submitted it</td>
 * </tr>
 * <tr>
 * <td>approve, reject</td>
 * <td>APPROVER, never the requester</td>
 * <td>never</td>
 * </tr>
 * <tr>
 * <td>close any open request for good (with a reason)</td>
 * <td>ADMIN</td>
 * <td>never</td>
 * </tr>
 * <tr>
 * <td>retry</td>
 * <td>the submitter, an APPROVER or an ADMIN</td>
 * <td>{@code requests:write}</td>
 * </tr>
 * <tr>
 * <td>verify (reads AWS only)</td>
 * <td>any portal role</td>
 * <td>{@code requests:write} (it is a POST)</td>
 * </tr>
 * <tr>
 * <td>repair, deprovision (both need approval)</td>
 * <td>ADMIN</td>
 * <td>{@code requests:write}</td>
 * </tr>
 * <tr>
 * <td>review a user's access (confirm, or revoke without a second approval)</td>
 * <td>APPROVER, never the person who asked for that access</td>
 * <td>never</td>
 * </tr>
 * </table>
 * A disabled or unknown account may do nothing. Reading requests and users is decided by
 * the adapters' URL rules (any portal role; {@code requests:read} for integrations).
 */
final class RequestAccessPolicy {

	private RequestAccessPolicy() {
	}

	static void maySubmit(Acting actor) {
		require(actor, actor.isIntegration() ? actor.mayWrite() : actor.hasAny(PortalRole.REQUESTER, PortalRole.ADMIN),
				"submit requests", "the REQUESTER or ADMIN role", Actor.WRITE_SCOPE);
	}

	/**
	 * Any active actor gets this far; that only the submitter may cancel is checked by
	 * the request ({@link ApprovalPolicy#onlyRequesterCanCancel}).
	 */
	static void mayCancel(Acting actor) {
		requireActive(actor);
	}

	/**
	 * Closing overrides the requester and the approvers, so it is an admin's, and a
	 * person's: an integration's token never ends someone else's request.
	 */
	static void mayClose(Acting actor) {
		require(actor, !actor.isIntegration() && actor.hasAny(PortalRole.ADMIN), "close requests", "the ADMIN role",
				"a person's account with the ADMIN role");
	}

	static void mayDecide(Acting actor) {
		requireActive(actor);
		if (actor.isIntegration()) {
			throw new RequestNotAllowedException("Only people approve or reject requests, not integrations");
		}
		if (!actor.hasAny(PortalRole.APPROVER)) {
			throw new RequestNotAllowedException(actor.name() + " needs the APPROVER role to approve or reject");
		}
	}

	/**
	 * A review decides like an approval (a revocation removes the user with no second
	 * approval), so only approvers review, and only people: an integration is never the
	 * second pair of eyes. That the reviewer did not ask for the access is checked by
	 * {@link ReviewPolicy#reviewerDidNotAskForTheAccess}.
	 */
	static void mayReview(Acting actor) {
		requireActive(actor);
		if (actor.isIntegration()) {
			throw new RequestNotAllowedException("Only people review access, not integrations");
		}
		if (!actor.hasAny(PortalRole.APPROVER)) {
			throw new RequestNotAllowedException(actor.name() + " needs the APPROVER role to review access");
		}
	}

	static void mayRetry(Acting actor, String requestedBy) {
		requireActive(actor);
		boolean allowed = actor.isIntegration() ? actor.mayWrite()
				: actor.name().equalsIgnoreCase(requestedBy) || actor.hasAny(PortalRole.APPROVER, PortalRole.ADMIN);
		if (!allowed) {
			throw new RequestNotAllowedException(actor.name()
					+ " may not retry this request: the requester, an APPROVER or an ADMIN may (integrations with "
					+ Actor.WRITE_SCOPE + ")");
		}
	}

	static void mayVerify(Acting actor) {
		require(actor, actor.isIntegration() ? actor.mayWrite() : !actor.roles().isEmpty(), "verify users",
				"a portal role", Actor.WRITE_SCOPE);
	}

	/** A sweep of every user now: AWS reads for everyone, so approvers and admins. */
	static void mayVerifyEveryone(Acting actor) {
		require(actor, !actor.isIntegration() && actor.hasAny(PortalRole.APPROVER, PortalRole.ADMIN),
				"verify every user at once", "the APPROVER or ADMIN role", "a person's account");
	}

	/** Repair and deprovision: new requests about a managed user, still approved. */
	static void mayChangeManagedUser(Acting actor) {
		require(actor, actor.isIntegration() ? actor.mayWrite() : actor.hasAny(PortalRole.ADMIN),
				"request repairs or removals of managed users", "the ADMIN role", Actor.WRITE_SCOPE);
	}

	private static void require(Acting actor, boolean allowed, String what, String role, String scope) {
		requireActive(actor);
		if (!allowed) {
			throw new RequestNotAllowedException(
					actor.name() + " may not " + what + ": that needs " + (actor.isIntegration() ? scope : role));
		}
	}

	private static void requireActive(Acting actor) {
		if (!actor.active()) {
			throw new RequestNotAllowedException(actor.name() + " has no enabled portal account");
		}
	}

	/**
	 * An {@link Actor} as the rules see it, resolved at the time of the command.
	 *
	 * @param name the actor's name
	 * @param integration whether it is an API client rather than a person
	 * @param active whether the account exists and is enabled (always for SSO persons and
	 * integrations, whose credentials were checked by the adapter)
	 * @param roles the person's roles now; none for integrations
	 * @param scopes the integration's scopes; none for persons
	 */
	record Acting(String name, boolean integration, boolean active, Set<PortalRole> roles, Set<String> scopes) {

		Acting {
			roles = Set.copyOf(roles);
			scopes = Set.copyOf(scopes);
		}

		static Acting person(String name, boolean active, Set<PortalRole> roles) {
			return new Acting(name, false, active, active ? roles : Set.of(), Set.of());
		}

		static Acting integration(String name, Set<String> scopes) {
			return new Acting(name, true, true, Set.of(), scopes);
		}

		boolean isIntegration() {
			return this.integration;
		}

		boolean mayWrite() {
			return this.scopes.contains(Actor.WRITE_SCOPE);
		}

		boolean hasAny(PortalRole... wanted) {
			for (PortalRole role : wanted) {
				if (this.roles.contains(role)) {
					return true;
				}
			}
			return false;
		}

	}

}
