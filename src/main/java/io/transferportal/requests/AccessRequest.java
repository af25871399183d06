package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.AfterDomainEventPublication;
import org.springframework.data.domain.DomainEvents;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.RequestDecision.Decision;
import io.transferportal.requests.RequestEvents.AccessRequestDecided;
import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;
import io.transferportal.requests.RequestEvents.AccessRequestSubmitted;

/**
 * A request for a Transfer user, and the aggregate that owns its state machine: every
 * transition goes through {@link #moveTo}, which refuses what
 * {@link RequestStatus#canMoveTo} does not allow, and the four-eyes rules are checked
 * here rather than in any UI.
 * <p>
 * The request registers its own events (submitted, decided, status changed); the
 * repository publishes them when the request is saved, in the saving transaction. They
 * are built at publication, because a new request has its id only once it is stored.
 */
@Entity
@Table(name = "access_request")
class AccessRequest {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Enumerated(EnumType.STRING)
	private RequestKind kind;

	@Enumerated(EnumType.STRING)
	private RequestStatus status;

	private String serverId;

	private String userName;

	private @Nullable String ticketRef;

	private String requestedBy;

	@Convert(converter = Json.SpecConverter.class)
	private UserSpec spec;

	@Convert(converter = Json.PlanConverter.class)
	private Plan plan;

	/**
	 * The plan this one replaced when the live state changed after approval; shown beside
	 * the new plan, so that the approver sees what changed.
	 */
	@Convert(converter = Json.PlanConverter.class)
	private @Nullable Plan supersededPlan;

	private String planFingerprint;

	private @Nullable String approvedFingerprint;

	private boolean retryRequested;

	private @Nullable String failure;

	/**
	 * The pick of the scheduled execution that runs this request ("execution#pick"), see
	 * {@link ProvisioningRunner}.
	 */
	private @Nullable String runOwner;

	/** A change: the approved settings it replaces. */
	@Convert(converter = Json.SpecConverter.class)
	private @Nullable UserSpec previousSpec;

	/**
	 * When the access this request grants ends; {@code null} for never (or unchanged).
	 */
	private @Nullable Instant expiresAt;

	/** A rotation: the keys it keeps for an overlap after it is applied, then retires. */
	@Convert(converter = Json.StringListConverter.class)
	private @Nullable List<String> retireKeys;

	private @Nullable Long retireAfterSeconds;

	/**
	 * A request the portal made itself: what covers it (the approval of an earlier
	 * request, or a review).
	 */
	private @Nullable String coveredBy;

	/** The batch this request was submitted in ({@link RequestBatch}), if any. */
	private @Nullable Long batchId;

	/** Its place in that batch's submission, from 0. */
	private @Nullable Integer batchIndex;

	private Instant createdAt;

	private Instant updatedAt;

	@Version
	private long version;

	@OneToMany(mappedBy = "request", cascade = CascadeType.ALL)
	@OrderBy("id")
	private List<RequestDecision> decisions = new ArrayList<>();

	@Transient
	private final List<Supplier<Object>> events = new ArrayList<>();

	protected AccessRequest() {
		this.kind = RequestKind.PROVISION;
		this.status = RequestStatus.PENDING_APPROVAL;
		this.serverId = "";
		this.userName = "";
		this.requestedBy = "";
		this.spec = null;
		this.plan = null;
		this.planFingerprint = "";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	AccessRequest(RequestKind kind, Plan plan, String requestedBy, @Nullable String ticketRef, Instant now) {
		this.kind = kind;
		this.status = RequestStatus.PENDING_APPROVAL;
		this.spec = plan.spec();
		this.serverId = plan.spec().serverId();
		this.userName = plan.spec().userName();
		this.ticketRef = ticketRef;
		this.requestedBy = requestedBy;
		this.plan = plan;
		this.planFingerprint = plan.fingerprint();
		this.createdAt = now;
		this.updatedAt = now;
		long changes = plan.changes().stream().filter((c) -> c.action() != ChangeAction.NONE).count();
		String summary = kind + " " + this.userName + " on " + this.serverId + ": " + changes
				+ " AWS change(s) planned";
		String fingerprint = this.planFingerprint;
		this.events.add(() -> new AccessRequestSubmitted(requiredId(), kind, this.serverId, this.userName, ticketRef,
				requestedBy, fingerprint, summary, now));
		statusChanged(null, RequestStatus.PENDING_APPROVAL, requestedBy, summary, now);
	}

	/**
	 * A request that needs no approval of its own, because an earlier decision covers it:
	 * the approval of the request that granted the access (expiry, retiring rotated keys)
	 * or an approver's review (revoke). It is stored APPROVED, and the trail says by
	 * what.
	 * @param coveredBy what covers it, e.g. {@code "the approval of request 12"}
	 */
	static AccessRequest covered(RequestKind kind, Plan plan, String actor, @Nullable String ticketRef,
			String coveredBy, Instant now) {
		AccessRequest request = new AccessRequest(kind, plan, actor, ticketRef, now);
		request.coveredBy = coveredBy;
		request.moveTo(RequestStatus.APPROVED, now, actor, "Covered by " + coveredBy + "; no second approval");
		request.approvedFingerprint = request.planFingerprint;
		return request;
	}

	/**
	 * Sets when the access this request grants ends ({@code null}: never or unchanged).
	 */
	void expiresAt(@Nullable Instant expiresAt) {
		this.expiresAt = expiresAt;
	}

	/** An item of a batch: the batch's id and the item's place in it. */
	void inBatch(long batchId, int index) {
		this.batchId = batchId;
		this.batchIndex = index;
	}

	/** A change records the settings it replaces. */
	void replaces(UserSpec previous) {
		this.previousSpec = previous;
	}

	/** A rotation keeps {@code keys} for {@code overlap} after it is applied. */
	void retires(List<String> keys, Duration overlap) {
		this.retireKeys = List.copyOf(keys);
		this.retireAfterSeconds = overlap.toSeconds();
	}

	/**
	 * Records an approval for the current plan; the request becomes APPROVED once
	 * {@code required} different people have approved this plan.
	 * @return whether this approval made the request APPROVED
	 */
	boolean approve(String actor, @Nullable String comment, int required, Instant now) {
		requireDecidable(actor);
		if (this.decisions.stream()
			.anyMatch((d) -> d.getDecidedBy().equalsIgnoreCase(actor)
					&& d.getPlanFingerprint().equals(this.planFingerprint))) {
			throw new RequestConflictException(actor + " has already approved this plan of request " + this.id);
		}
		this.decisions.add(new RequestDecision(this, actor, Decision.APPROVE, comment, this.planFingerprint, now));
		decided(actor, true, comment, now);
		if (approvalsForCurrentPlan() < required) {
			this.updatedAt = now;
			return false;
		}
		moveTo(RequestStatus.APPROVED, now, actor, "Approved by " + actor);
		this.approvedFingerprint = this.planFingerprint;
		return true;
	}

	void reject(String actor, @Nullable String reason, Instant now) {
		requireDecidable(actor);
		this.decisions.add(new RequestDecision(this, actor, Decision.REJECT, reason, this.planFingerprint, now));
		decided(actor, false, reason, now);
		moveTo(RequestStatus.REJECTED, now, actor, "Rejected by " + actor + ((reason != null) ? ": " + reason : ""));
	}

	void cancel(String actor, Instant now) {
		cancel(actor, false, now);
	}

	/**
	 * Cancels a request waiting for a decision (its requester), or abandons one that
	 * failed (its requester or an admin), so that the user can be asked for again. What
	 * the failed run applied stays in AWS; a new request for the user finds it and plans
	 * from there.
	 * @param admin whether the actor is an admin, who may abandon anyone's failed request
	 */
	void cancel(String actor, boolean admin, Instant now) {
		if (this.status == RequestStatus.FAILED) {
			if (!admin) {
				ApprovalPolicy.onlyRequesterCanCancel(this, actor);
			}
			this.retryRequested = false;
			moveTo(RequestStatus.CANCELLED, now, actor,
					"Abandoned by " + actor + " after it failed; what it applied stays in AWS");
			return;
		}
		ApprovalPolicy.onlyRequesterCanCancel(this, actor);
		requireStatus(RequestStatus.PENDING_APPROVAL, RequestStatus.NEEDS_REAPPROVAL);
		moveTo(RequestStatus.CANCELLED, now, actor, "Cancelled by " + actor);
	}

	/**
	 * Closes an open request for good (an admin's decision, with a reason), whatever its
	 * status, so that a request nobody can move on no longer blocks its user. The caller
	 * makes sure that no run is under way; what an earlier run applied stays in AWS.
	 */
	void close(String actor, String reason, Instant now) {
		requireStatus(RequestStatus.PENDING_APPROVAL, RequestStatus.NEEDS_REAPPROVAL, RequestStatus.APPROVED,
				RequestStatus.PROVISIONING, RequestStatus.FAILED);
		boolean ran = this.status == RequestStatus.PROVISIONING || this.status == RequestStatus.FAILED;
		this.retryRequested = false;
		this.runOwner = null;
		moveTo(RequestStatus.CANCELLED, now, actor,
				"Closed by " + actor + ": " + reason + (ran ? " (what its runs applied stays in AWS)" : ""));
	}

	void requestRetry(Instant now) {
		requireStatus(RequestStatus.FAILED);
		this.retryRequested = true;
		this.updatedAt = now;
	}

	/**
	 * Whether the scheduled execution may start (or resume) this request: it is approved,
	 * or failed with a retry requested, or it is provisioning under an earlier pick of
	 * this same execution (whose instance died). The one definition of a runnable
	 * request.
	 */
	boolean isRunnableBy(String execution) {
		return this.status == RequestStatus.APPROVED || (this.status == RequestStatus.FAILED && this.retryRequested)
				|| (this.status == RequestStatus.PROVISIONING && this.runOwner != null
						&& this.runOwner.startsWith(execution + "#"));
	}

	/** A pick of a scheduled execution took the request (see {@link #isRunnableBy}). */
	/**
	 * Whether a run by {@code execution}'s {@code pick} takes this request over from an
	 * earlier run that did not finish it (its instance stopped heartbeating).
	 */
	boolean isTakenOverBy(String execution, long pick) {
		return this.status == RequestStatus.PROVISIONING && this.runOwner != null
				&& !this.runOwner.equals(execution + "#" + pick);
	}

	void startProvisioning(String execution, long pick, Instant now) {
		if (this.status != RequestStatus.PROVISIONING) {
			moveTo(RequestStatus.PROVISIONING, now, ProvisioningRunner.ACTOR, "Provisioning started");
		}
		this.retryRequested = false;
		this.failure = null;
		this.runOwner = execution + "#" + pick;
	}

	/**
	 * The live state changed after approval: the new plan needs approving again; nothing
	 * was applied.
	 */
	void needsReapproval(Plan newPlan, String summary, Instant now) {
		moveTo(RequestStatus.NEEDS_REAPPROVAL, now, ProvisioningRunner.ACTOR, summary);
		this.supersededPlan = this.plan;
		this.plan = newPlan;
		this.planFingerprint = newPlan.fingerprint();
		this.approvedFingerprint = null;
		this.runOwner = null;
	}

	boolean isRunBy(String execution, long pick) {
		return (execution + "#" + pick).equals(this.runOwner);
	}

	void complete(String summary, Instant now) {
		moveTo((this.kind == RequestKind.DEPROVISION) ? RequestStatus.DELETED : RequestStatus.ACTIVE, now,
				ProvisioningRunner.ACTOR, summary);
		this.runOwner = null;
	}

	void fail(String reason, String summary, Instant now) {
		moveTo(RequestStatus.FAILED, now, ProvisioningRunner.ACTOR, summary);
		this.failure = (reason.length() > 2000) ? reason.substring(0, 2000) : reason;
		this.runOwner = null;
	}

	private void requireDecidable(String actor) {
		ApprovalPolicy.requesterCannotDecideOwnRequest(this, actor);
		if (this.status != RequestStatus.PENDING_APPROVAL && this.status != RequestStatus.NEEDS_REAPPROVAL) {
			throw new RequestConflictException("Request " + this.id + " is already decided: it is " + this.status);
		}
	}

	private void requireStatus(RequestStatus... allowed) {
		for (RequestStatus candidate : allowed) {
			if (this.status == candidate) {
				return;
			}
		}
		throw new RequestConflictException("Request " + this.id + " is " + this.status);
	}

	private void moveTo(RequestStatus next, Instant now, String actor, String summary) {
		if (!this.status.canMoveTo(next)) {
			throw new IllegalStateException("Request " + this.id + " cannot go from " + this.status + " to " + next);
		}
		RequestStatus previous = this.status;
		this.status = next;
		this.updatedAt = now;
		statusChanged(previous, next, actor, summary, now);
	}

	/** The one place a status-change event is built. */
	private void statusChanged(@Nullable RequestStatus previous, RequestStatus next, String actor, String summary,
			Instant now) {
		@Nullable String ticketRef = this.ticketRef;
		this.events.add(() -> new AccessRequestStatusChanged(requiredId(), this.serverId, this.userName, ticketRef,
				previous, next, actor, summary, now));
	}

	private void decided(String actor, boolean approved, @Nullable String comment, Instant now) {
		String fingerprint = this.planFingerprint;
		this.events.add(() -> new AccessRequestDecided(requiredId(), this.serverId, this.userName, this.ticketRef,
				actor, approved, comment, fingerprint, now));
	}

	@DomainEvents
	List<Object> domainEvents() {
		return this.events.stream().map(Supplier::get).toList();
	}

	@AfterDomainEventPublication
	void clearDomainEvents() {
		this.events.clear();
	}

	private long requiredId() {
		if (this.id == null) {
			throw new IllegalStateException("A request's events are published once it is stored");
		}
		return this.id;
	}

	private long approvalsForCurrentPlan() {
		return this.decisions.stream()
			.filter((d) -> d.getDecision() == Decision.APPROVE && d.getPlanFingerprint().equals(this.planFingerprint))
			.map((d) -> d.getDecidedBy().toLowerCase(Locale.ROOT))
			.distinct()
			.count();
	}

	@Nullable Long getId() {
		return this.id;
	}

	RequestKind getKind() {
		return this.kind;
	}

	RequestStatus getStatus() {
		return this.status;
	}

	String getServerId() {
		return this.serverId;
	}

	String getUserName() {
		return this.userName;
	}

	@Nullable String getTicketRef() {
		return this.ticketRef;
	}

	String getRequestedBy() {
		return this.requestedBy;
	}

	UserSpec getSpec() {
		return this.spec;
	}

	Plan getPlan() {
		return this.plan;
	}

	@Nullable Plan getSupersededPlan() {
		return this.supersededPlan;
	}

	String getPlanFingerprint() {
		return this.planFingerprint;
	}

	@Nullable String getFailure() {
		return this.failure;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getUpdatedAt() {
		return this.updatedAt;
	}

	@Nullable UserSpec getPreviousSpec() {
		return this.previousSpec;
	}

	@Nullable Instant getExpiresAt() {
		return this.expiresAt;
	}

	List<String> getRetireKeys() {
		return (this.retireKeys != null) ? this.retireKeys : List.of();
	}

	@Nullable Duration getRetireAfter() {
		return (this.retireAfterSeconds != null) ? Duration.ofSeconds(this.retireAfterSeconds) : null;
	}

	@Nullable String getCoveredBy() {
		return this.coveredBy;
	}

	List<RequestDecision> getDecisions() {
		return List.copyOf(this.decisions);
	}

	@Nullable Long getBatchId() {
		return this.batchId;
	}

	@Nullable Integer getBatchIndex() {
		return this.batchIndex;
	}

}
