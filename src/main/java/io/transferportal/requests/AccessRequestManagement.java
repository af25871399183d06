package io.transferportal.requests;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.RequestEvents.AccessRequestDecided;
import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;
import io.transferportal.requests.RequestEvents.AccessRequestSubmitted;
import io.transferportal.requests.RequestEvents.ProvisioningRequested;

/**
 * The requests module's API: submit, approve, reject, cancel and retry requests. Every
 * method takes the acting person (or API client) explicitly; the rules about who may do
 * what live in {@link AccessRequest}.
 */
@Service
public class AccessRequestManagement {

	private final AccessRequestRepository requests;

	private final ManagedUserRepository users;

	private final RequestStepRepository steps;

	private final ManagedUserRegister register;

	private final SubmissionLock submissionLock;

	private final ProvisioningEngine engine;

	private final ApplicationEventPublisher events;

	private final ApprovalProperties approvals;

	private final Clock clock;

	AccessRequestManagement(AccessRequestRepository requests, ManagedUserRepository users, RequestStepRepository steps,
			ManagedUserRegister register, SubmissionLock submissionLock, ProvisioningEngine engine,
			ApplicationEventPublisher events, ApprovalProperties approvals, Clock clock) {
		this.requests = requests;
		this.users = users;
		this.steps = steps;
		this.register = register;
		this.submissionLock = submissionLock;
		this.engine = engine;
		this.events = events;
		this.approvals = approvals;
		this.clock = clock;
	}

	/**
	 * Plans and stores a request for a new Transfer user.
	 * @throws InvalidUserSpecException for invalid input (nothing stored, no AWS call for
	 * format errors)
	 * @throws PlanNotApplicableException if the plan has problems (nothing stored)
	 * @throws RequestConflictException if the user is already managed or has an open
	 * request
	 */
	@Transactional
	public RequestView submitProvision(UserSpec spec, @Nullable String ticketRef, String actor) {
		List<io.transferportal.provisioning.FieldViolation> violations = this.engine.validate(spec);
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations); // bad input first, before any
															// conflict or AWS call
		}
		requireNoOpenRequest(spec.serverId(), spec.userName());
		this.users.findByServerIdAndUserName(spec.serverId(), spec.userName())
			.filter((user) -> user.getStatus() == ManagedUser.Status.ACTIVE)
			.ifPresent((user) -> {
				throw new RequestConflictException("User " + spec.userName() + " on " + spec.serverId()
						+ " is already managed; request a repair or deprovision instead");
			});
		return submit(RequestKind.PROVISION, this.engine.plan(spec), ticketRef, actor);
	}

	/** Plans a repair of a managed user back to its approved state. */
	@Transactional
	public RequestView submitRepair(String serverId, String userName, @Nullable String ticketRef, String actor) {
		ManagedUser user = activeUser(serverId, userName);
		requireNoOpenRequest(serverId, userName);
		return submit(RequestKind.REPAIR, this.engine.plan(user.getSpec()), ticketRef, actor);
	}

	/**
	 * Plans the removal of a managed user, keeping what other managed users still need.
	 */
	@Transactional
	public RequestView submitDeprovision(String serverId, String userName, @Nullable String ticketRef, String actor) {
		ManagedUser user = activeUser(serverId, userName);
		requireNoOpenRequest(serverId, userName);
		return submit(RequestKind.DEPROVISION,
				this.engine.planRemoval(user.getSpec(), this.register.otherSpecs(serverId, userName)), ticketRef,
				actor);
	}

	@Transactional
	public RequestView approve(long id, String actor, @Nullable String comment) {
		AccessRequest request = load(id);
		RequestStatus before = request.getStatus();
		boolean approved = request.approve(actor, comment, this.approvals.required(), this.clock.instant());
		publish(new AccessRequestDecided(id, request.getServerId(), request.getUserName(), request.getTicketRef(),
				actor, true, comment, request.getPlanFingerprint(), this.clock.instant()));
		if (approved) {
			statusChanged(request, before, actor, "Approved by " + actor);
			// the run is scheduled in this transaction (ProvisioningScheduler): the
			// approval cannot lose its run
			publish(new ProvisioningRequested(id));
		}
		return RequestView.of(request);
	}

	@Transactional
	public RequestView reject(long id, String actor, @Nullable String reason) {
		AccessRequest request = load(id);
		RequestStatus before = request.getStatus();
		request.reject(actor, reason, this.clock.instant());
		publish(new AccessRequestDecided(id, request.getServerId(), request.getUserName(), request.getTicketRef(),
				actor, false, reason, request.getPlanFingerprint(), this.clock.instant()));
		statusChanged(request, before, actor, "Rejected by " + actor + ((reason != null) ? ": " + reason : ""));
		return RequestView.of(request);
	}

	@Transactional
	public RequestView cancel(long id, String actor) {
		AccessRequest request = load(id);
		RequestStatus before = request.getStatus();
		request.cancel(actor, this.clock.instant());
		statusChanged(request, before, actor, "Cancelled by " + actor);
		return RequestView.of(request);
	}

	/**
	 * Runs a failed request's approved plan again; steps already done are found done and
	 * not repeated.
	 */
	@Transactional
	public RequestView retry(long id, String actor) {
		AccessRequest request = load(id);
		request.requestRetry(this.clock.instant());
		publish(new RequestEvents.RetryRequested(id, request.getServerId(), request.getUserName(),
				request.getTicketRef(), actor, this.clock.instant()));
		publish(new ProvisioningRequested(id));
		return RequestView.of(request);
	}

	@Transactional(readOnly = true)
	public Optional<RequestView> find(long id) {
		return this.requests.findById(id).map(RequestView::of);
	}

	/** Requests, newest first, optionally filtered by ticket reference and status. */
	@Transactional(readOnly = true)
	public org.springframework.data.domain.Page<RequestView> search(@Nullable String ticketRef,
			@Nullable RequestStatus status, org.springframework.data.domain.Pageable pageable) {
		return this.requests.search(ticketRef, status, pageable).map(RequestView::of);
	}

	@Transactional(readOnly = true)
	public List<RequestView> withStatus(RequestStatus status) {
		return this.requests.findByStatusOrderByCreatedAt(status).stream().map(RequestView::of).toList();
	}

	@Transactional(readOnly = true)
	public List<RequestStepView> steps(long id) {
		return this.steps.findByRequestIdOrderById(id).stream().map(RequestStep::view).toList();
	}

	@Transactional(readOnly = true)
	public Optional<ManagedUserView> managedUser(String serverId, String userName) {
		return this.users.findByServerIdAndUserName(serverId, userName).map(ManagedUserView::of);
	}

	/**
	 * A page of active managed users for the dashboard, filtered in the database (no AWS
	 * call).
	 * @param text part of a server id or user name, any case; {@code null} for all
	 * @param health only users of this health; {@code null} for all
	 */
	@Transactional(readOnly = true)
	public org.springframework.data.domain.Page<ManagedUserView> managedUsers(@Nullable String text,
			@Nullable Health health, org.springframework.data.domain.Pageable pageable) {
		String pattern = (text == null || text.isBlank()) ? null
				: "%" + text.strip().toLowerCase(java.util.Locale.ROOT).replace("%", "").replace("_", "") + "%";
		return this.users.search(pattern, health, pageable).map(ManagedUserView::of);
	}

	/** How many active users are in each health, for the dashboard's counts and chart. */
	@Transactional(readOnly = true)
	public java.util.Map<Health, Long> healthCounts() {
		java.util.Map<Health, Long> counts = new java.util.EnumMap<>(Health.class);
		for (Health health : Health.values()) {
			counts.put(health, 0L);
		}
		for (Object[] row : this.users.countByHealth()) {
			counts.put((Health) row[0], (Long) row[1]);
		}
		return counts;
	}

	@Transactional(readOnly = true)
	public List<ManagedUserView> activeUsers() {
		return this.users.findByStatusOrderByServerIdAscUserNameAsc(ManagedUser.Status.ACTIVE)
			.stream()
			.map(ManagedUserView::of)
			.toList();
	}

	private RequestView submit(RequestKind kind, Plan plan, @Nullable String ticketRef, String actor) {
		if (!plan.isApplicable()) {
			throw new PlanNotApplicableException(plan);
		}
		AccessRequest request = this.requests
			.save(new AccessRequest(kind, plan, actor, ticketRef, this.clock.instant()));
		long changes = plan.changes()
			.stream()
			.filter((c) -> c.action() != io.transferportal.provisioning.ChangeAction.NONE)
			.count();
		String summary = kind + " " + plan.spec().userName() + " on " + plan.spec().serverId() + ": " + changes
				+ " AWS change(s) planned";
		publish(new AccessRequestSubmitted(request.getId(), kind, request.getServerId(), request.getUserName(),
				ticketRef, actor, plan.fingerprint(), summary, this.clock.instant()));
		statusChanged(request, null, actor, summary);
		return RequestView.of(request);
	}

	private void requireNoOpenRequest(String serverId, String userName) {
		this.submissionLock.lock(serverId, userName); // held until this transaction
														// commits
		if (this.requests.existsByServerIdAndUserNameAndStatusIn(serverId, userName, RequestStatus.OPEN)) {
			throw new RequestConflictException(
					"User " + userName + " on " + serverId + " already has an open request; finish or cancel it first");
		}
	}

	private ManagedUser activeUser(String serverId, String userName) {
		return this.users.findByServerIdAndUserName(serverId, userName)
			.filter((user) -> user.getStatus() == ManagedUser.Status.ACTIVE)
			.orElseThrow(
					() -> new RequestConflictException("User " + userName + " on " + serverId + " is not managed"));
	}

	private AccessRequest load(long id) {
		return this.requests.findById(id)
			.orElseThrow(() -> new RequestConflictException("Request " + id + " does not exist"));
	}

	private void statusChanged(AccessRequest request, @Nullable RequestStatus before, String actor, String summary) {
		publish(new AccessRequestStatusChanged(request.getId(), request.getServerId(), request.getUserName(),
				request.getTicketRef(), before, request.getStatus(), actor, summary, this.clock.instant()));
	}

	private void publish(Object event) {
		this.events.publishEvent(event);
	}

}
