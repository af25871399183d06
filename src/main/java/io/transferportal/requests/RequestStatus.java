package io.transferportal.requests;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a request; {@link #canMoveTo} is the only place the allowed transitions are
 * written down.
 */
public enum RequestStatus {

	PENDING_APPROVAL, APPROVED, NEEDS_REAPPROVAL, PROVISIONING, ACTIVE, FAILED, REJECTED, CANCELLED, DELETED;

	public boolean canMoveTo(RequestStatus next) {
		return successors().contains(next);
	}

	/**
	 * The states in which a request still waits for or undergoes work (not a final
	 * state).
	 */
	public static final Set<RequestStatus> OPEN = EnumSet.of(PENDING_APPROVAL, APPROVED, NEEDS_REAPPROVAL, PROVISIONING,
			FAILED);

	private Set<RequestStatus> successors() {
		return switch (this) {
			case PENDING_APPROVAL, NEEDS_REAPPROVAL -> EnumSet.of(APPROVED, REJECTED, CANCELLED);
			// closed by an admin (CANCELLED) only while no instance runs it: see
			// AccessRequestManagement#close
			case APPROVED -> EnumSet.of(PROVISIONING, CANCELLED);
			case PROVISIONING -> EnumSet.of(ACTIVE, DELETED, FAILED, NEEDS_REAPPROVAL, CANCELLED);
			// abandoned: a failure no retry can mend (the bucket was deleted)
			case FAILED -> EnumSet.of(PROVISIONING, CANCELLED);
			case ACTIVE, REJECTED, CANCELLED, DELETED -> EnumSet.noneOf(RequestStatus.class);
		};
	}

}
