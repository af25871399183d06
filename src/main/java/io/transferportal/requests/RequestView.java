package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.Plan;

/**
 * A request as other modules and the web layer see it.
 *
 * @param id request id
 * @param kind provision, repair or deprovision
 * @param status current status
 * @param serverId Transfer server
 * @param userName Transfer user
 * @param ticketRef reference in the requester's ticketing system, if any
 * @param requestedBy who submitted it
 * @param plan the current plan (the approved one once approved)
 * @param decisions approvals and rejections, oldest first
 * @param failure why the last run failed, if it did
 * @param createdAt when it was submitted
 * @param updatedAt when it last changed
 * @param terms what the approval grants beyond the plan: expiry, keys a rotation retires
 * later, and what covers a request the portal made itself
 * @param supersededPlan the plan that {@code plan} replaced when the live AWS state
 * changed after approval (NEEDS_REAPPROVAL), if it did
 */
public record RequestView(long id, RequestKind kind, RequestStatus status, String serverId, String userName,
		@Nullable String ticketRef, String requestedBy, Plan plan, List<DecisionView> decisions,
		@Nullable String failure, Instant createdAt, Instant updatedAt, Terms terms, @Nullable Plan supersededPlan) {

	static RequestView of(AccessRequest request) {
		return new RequestView(request.getId(), request.getKind(), request.getStatus(), request.getServerId(),
				request.getUserName(), request.getTicketRef(), request.getRequestedBy(), request.getPlan(),
				request.getDecisions()
					.stream()
					.map((d) -> new DecisionView(d.getDecidedBy(), d.getDecision() == RequestDecision.Decision.APPROVE,
							d.getComment(), d.getPlanFingerprint(), d.getDecidedAt()))
					.toList(),
				request.getFailure(), request.getCreatedAt(), request.getUpdatedAt(), new Terms(request.getExpiresAt(),
						request.getRetireKeys(), request.getRetireAfter(), request.getCoveredBy()),
				request.getSupersededPlan());
	}

	/**
	 * What the approval grants beyond the plan's AWS changes.
	 *
	 * @param expiresAt when the access ends ({@code null}: never, or for a change:
	 * unchanged)
	 * @param retireKeys the keys a rotation keeps for {@code retireAfter} after it is
	 * applied, then removes without another approval
	 * @param retireAfter that overlap
	 * @param coveredBy for a request the portal made itself, the decision that covers it
	 */
	public record Terms(@Nullable Instant expiresAt, List<String> retireKeys, @Nullable Duration retireAfter,
			@Nullable String coveredBy) {
	}

	/** One approval ({@code approved}) or rejection. */
	public record DecisionView(String decidedBy, boolean approved, @Nullable String comment, String planFingerprint,
			Instant decidedAt) {
	}

}
