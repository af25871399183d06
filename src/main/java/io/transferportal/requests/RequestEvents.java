package io.transferportal.requests;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ResourceKind;

/**
 * Events the requests module publishes, for the audit trail, callbacks and the runner.
 */
public final class RequestEvents {

	private RequestEvents() {
	}

	/** A request was submitted with its plan. */
	public record AccessRequestSubmitted(long requestId, RequestKind kind, String serverId, String userName,
			@Nullable String ticketRef, String actor, String planFingerprint, String summary, Instant occurredAt) {
	}

	/** Someone approved ({@code approved}) or rejected a request. */
	public record AccessRequestDecided(long requestId, String serverId, String userName, @Nullable String ticketRef,
			String actor, boolean approved, @Nullable String comment, String planFingerprint, Instant occurredAt) {
	}

	/** A request moved from one status to another. */
	public record AccessRequestStatusChanged(long requestId, String serverId, String userName,
			@Nullable String ticketRef, @Nullable RequestStatus previousStatus, RequestStatus status, String actor,
			String summary, Instant occurredAt) {
	}

	/** Someone asked to run a failed request's approved plan again. */
	public record RetryRequested(long requestId, String serverId, String userName, @Nullable String ticketRef,
			String actor, Instant occurredAt) {
	}

	/**
	 * An approver decided on a managed user's access in a periodic review.
	 *
	 * @param decision confirmed (it keeps its access) or revoked (it is removed)
	 * @param comment why, as the reviewer wrote it (always given for a revocation)
	 * @param requestId the request the decision made: the removal of a revoked user, the
	 * return of the SSH keys of a confirmed user that was suspended for want of a review;
	 * {@code null} for none
	 */
	public record AccessReviewed(String serverId, String userName, String actor, ReviewDecision decision,
			@Nullable String comment, @Nullable Long requestId, Instant occurredAt) {
	}

	/**
	 * The approved plan of a request is ready to run (approved, or a failed run was
	 * retried). Published in that transaction, which schedules the run
	 * ({@code ProvisioningScheduler}).
	 */
	public record ProvisioningRequested(long requestId) {
	}

	/** Applying a request changed (or confirmed) one AWS resource. */
	public record AwsChangeApplied(long requestId, String serverId, String userName, @Nullable String ticketRef,
			AppliedChange change, Instant occurredAt) {
	}

	/**
	 * Applying a request stopped because an AWS call failed, and AWS answered it with a
	 * request id (which AWS support asks for, and CloudTrail records with the error).
	 *
	 * @param resource the resource whose step failed
	 * @param awsRequestId the request id of the failed call
	 * @param detail the failure, as the request reports it
	 */
	public record AwsCallFailed(long requestId, String serverId, String userName, @Nullable String ticketRef,
			ResourceKind resource, String awsRequestId, String detail, Instant occurredAt) {
	}

	/**
	 * Someone asked for every managed user to be verified now instead of at the sweep's
	 * next turn.
	 */
	public record VerificationSweepRequested(String actor, Instant occurredAt) {
	}

	/**
	 * A background or manual verification found a resource in a different state than last
	 * time.
	 *
	 * @param actor who verified: the person who asked for it, or {@code portal} for the
	 * sweep and the runs
	 */
	public record VerificationChanged(String serverId, String userName, ResourceKind resource,
			@Nullable CheckStatus previous, CheckStatus current, String detail, Instant occurredAt, String actor) {
	}

	/**
	 * Something happened in a managed user's life that its requester is told about: its
	 * access is about to expire or expired, a rotation retired its old keys, or it was
	 * suspended for an overdue review.
	 *
	 * @param requestId the request that did it ({@code null} for a warning)
	 */
	public record UserLifecycleChanged(String serverId, String userName, LifecycleEvent event, @Nullable Long requestId,
			String summary, Instant occurredAt) {
	}

	/** What {@link UserLifecycleChanged} reports; the callback's {@code status}. */
	public enum LifecycleEvent {

		/** Its access ends within {@code portal.lifecycle.expiry-warning}. */
		USER_EXPIRING,

		/** Its access ended: its SSH keys were removed. */
		USER_EXPIRED,

		/** Its review is overdue: its SSH keys were removed. */
		USER_SUSPENDED,

		/** A rotation's overlap ended: the keys it replaced were removed. */
		SSH_KEYS_RETIRED

	}

}
