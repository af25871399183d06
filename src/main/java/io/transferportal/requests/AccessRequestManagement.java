package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.support.PageableExecutionUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.PortalRole;
import io.transferportal.provisioning.Adoption;
import io.transferportal.provisioning.AdoptionRefusedException;
import io.transferportal.provisioning.Connection;
import io.transferportal.provisioning.ExistingUser;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.ItemPlan;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.SshKey;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.RequestAccessPolicy.Acting;
import io.transferportal.requests.RequestEvents.AccessReviewed;
import io.transferportal.requests.RequestEvents.ProvisioningRequested;
import io.transferportal.requests.RequestEvents.RetryRequested;
import io.transferportal.requests.RequestEvents.VerificationSweepRequested;

/**
 * The requests module's API, the one entry point for the web UI, the REST API and every
 * other caller: submit (provision), repair, deprovision, approve, reject, cancel, retry,
 * verify and review. Every command takes the acting party explicitly ({@link Actor}); who
 * may do what is decided here, by {@link RequestAccessPolicy}, with the roles a person
 * holds at the moment of the command, and the four-eyes rules by the request itself.
 * <p>
 * A command on a request or managed user that does not exist throws
 * {@link RequestNotFoundException}; one that the current state does not allow (including
 * a decision taken by someone else at the same moment) throws
 * {@link RequestConflictException}; one the actor may not do throws
 * {@link RequestNotAllowedException}. Nothing changes in any of these cases.
 */
@Service
public class AccessRequestManagement {

	/**
	 * The order of pages of managed users: by server, then user name. The status leads,
	 * although every row listed has the same one, because H2 reads a page in an index's
	 * order only when the sort starts with the index's first column
	 * ({@code managed_user_status_order_idx}); otherwise it sorts every active user,
	 * settings included, for each page.
	 */
	/** The most users one bulk action takes: a full page of the dashboard. */
	public static final int MAX_SELECTED = 200;

	public static final Sort USER_ORDER = Sort.by("status", "serverId", "userName");

	/**
	 * {@link #USER_ORDER} for users of one health: the same order (every row has the same
	 * health), which H2 reads along {@code managed_user_health_order_idx}.
	 */
	static final Sort USER_ORDER_OF_ONE_HEALTH = Sort.by("status", "health", "serverId", "userName");

	/**
	 * Items of one batch: enough for a partner programme, bounded for one transaction.
	 */
	public static final int MAX_BATCH_ITEMS = 500;

	private final AccessRequestRepository requests;

	private final RequestBatchRepository batches;

	private final ManagedUserRepository users;

	private final RequestStepRepository steps;

	private final ManagedUserRegister register;

	private final SubmissionLock submissionLock;

	private final ProvisioningEngine engine;

	private final AccountManagement accounts;

	private final ApplicationEventPublisher events;

	private final ApprovalProperties approvals;

	private final LifecycleProperties lifecycle;

	private final ManagedUserSearches searches;

	private final ProvisioningScheduler scheduler;

	private final TransactionTemplate transaction;

	private final Clock clock;

	AccessRequestManagement(AccessRequestRepository requests, RequestBatchRepository batches,
			ManagedUserRepository users, RequestStepRepository steps, ManagedUserRegister register,
			SubmissionLock submissionLock, ProvisioningEngine engine, AccountManagement accounts,
			ApplicationEventPublisher events, ApprovalProperties approvals, LifecycleProperties lifecycle,
			ManagedUserSearches searches, ProvisioningScheduler scheduler, PlatformTransactionManager transactions,
			Clock clock) {
		this.requests = requests;
		this.batches = batches;
		this.users = users;
		this.steps = steps;
		this.register = register;
		this.submissionLock = submissionLock;
		this.engine = engine;
		this.accounts = accounts;
		this.events = events;
		this.approvals = approvals;
		this.lifecycle = lifecycle;
		this.searches = searches;
		this.scheduler = scheduler;
		this.transaction = new TransactionTemplate(transactions);
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
	public RequestView submitProvision(UserSpec spec, @Nullable String ticketRef, Actor actor) {
		return submitProvision(spec, null, ticketRef, actor);
	}

	/**
	 * Plans and stores a request for a new Transfer user whose access ends at
	 * {@code expiresAt} ({@code null}: never).
	 * @see #submitProvision(UserSpec, String, Actor)
	 */
	public RequestView submitProvision(UserSpec spec, @Nullable Instant expiresAt, @Nullable String ticketRef,
			Actor actor) {
		return submitProvision(spec, expiresAt, ticketRef, actor, (stored) -> {
		});
	}

	/**
	 * As {@link #submitProvision(UserSpec, Instant, String, Actor)}, and
	 * {@code alsoStore} runs in the transaction that stores the request (what the caller
	 * keeps about the submission commits or rolls back with it).
	 * <p>
	 * The plan reads AWS before any transaction begins, so no connection or lock is held
	 * while AWS answers; then one short transaction takes the user's and the bucket's
	 * submission locks, checks again what the database decides (open requests, managed
	 * users, overlapping home folders) and stores.
	 */
	public RequestView submitProvision(UserSpec spec, @Nullable Instant expiresAt, @Nullable String ticketRef,
			Actor actor, Consumer<RequestView> alsoStore) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.maySubmit(acting);
		List<FieldViolation> violations = new ArrayList<>(this.engine.validate(spec));
		violations.addAll(LifecycleRules.checkExpiry(expiresAt, this.clock.instant()));
		if (!violations.isEmpty()) {
			// bad input first, before any conflict or AWS call
			throw new InvalidUserSpecException(violations);
		}
		// checked first without locks, so that a refused request costs no AWS call, and
		// again under the locks below
		requireAvailable(spec);
		Plan plan = this.engine.plan(spec);
		if (!plan.isApplicable()) {
			throw new PlanNotApplicableException(plan);
		}
		return inTransaction(() -> {
			requireNoOpenRequest(spec.serverId(), spec.userName());
			// two users asked for at once on one bucket see each other's folders
			this.submissionLock.lockBucket(spec.bucket());
			requireAvailable(spec);
			RequestView stored = submit(RequestKind.PROVISION, plan, ticketRef, acting,
					(request) -> request.expiresAt(expiresAt));
			alsoStore.accept(stored);
			return stored;
		});
	}

	/**
	 * Plans and stores many new users at once, as one batch of PROVISION requests that
	 * are approved or rejected together and then run, retried and called back one by one.
	 * Every item is checked as a single submission is (the engine's rules, expiry, open
	 * requests, managed users, home folders overlapping a managed user's) and against the
	 * other items (the same user twice, overlapping home folders); if any item is invalid
	 * nothing is stored and the exception names every invalid field of every item, before
	 * any AWS call where the input alone shows it. Then all items are planned with shared
	 * reads ({@link ProvisioningEngine#planBatch}), outside any transaction, and one
	 * short transaction takes the submission locks, checks the database's part again and
	 * stores the batch; {@code alsoStore} runs in it.
	 * @param ticketRef the batch's ticket, unique among batches; each item carries it
	 * @param callbackUrl where the items' status changes are called back (kept with the
	 * batch; the caller arranges the calls)
	 * @throws InvalidBatchException if an item is invalid, cannot be planned or has plan
	 * problems, or the batch is empty or has more than {@link #MAX_BATCH_ITEMS} items
	 * @throws RequestConflictException if a batch for the ticket exists
	 */
	public RequestBatchView submitBatch(String ticketRef, @Nullable String callbackUrl, List<BatchItem> items,
			Actor actor, Consumer<RequestBatchView> alsoStore) {
		return submitBatch(ticketRef, callbackUrl, items, List.of(), actor, alsoStore);
	}

	/**
	 * As {@link #submitBatch(String, String, List, Actor, Consumer)}, reporting also the
	 * violations the caller found in the input by its own rules (e.g. an API's sizes), so
	 * that every error comes back at once; where the caller named a field of an item, the
	 * portal's own rules do not name it again.
	 */
	public RequestBatchView submitBatch(String ticketRef, @Nullable String callbackUrl, List<BatchItem> items,
			List<BatchViolation> inputViolations, Actor actor, Consumer<RequestBatchView> alsoStore) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.maySubmit(acting);
		if (items.isEmpty() || items.size() > MAX_BATCH_ITEMS) {
			throw new InvalidBatchException(List.of(new BatchViolation(-1, "requests", "a batch has 1 to "
					+ MAX_BATCH_ITEMS + " items; this one has " + items.size() + "; split it into several batches")));
		}
		requireNewBatch(ticketRef);
		List<UserSpec> specs = items.stream().map(BatchItem::spec).toList();
		List<BatchViolation> violations = new ArrayList<>(inputViolations);
		Set<String> named = inputViolations.stream()
			.map((violation) -> violation.index() + ":" + violation.field())
			.collect(Collectors.toSet());
		BatchRules.withinBatch(items, this.clock.instant(), this.engine::validate, this.engine::validateHomeFolder)
			.stream()
			.filter((violation) -> !named.contains(violation.index() + ":" + violation.field()))
			.forEach(violations::add);
		violations.addAll(databaseViolations(specs, violations));
		if (!violations.isEmpty()) {
			throw new InvalidBatchException(BatchRules.ordered(violations));
		}
		List<ItemPlan> plans = this.engine.planBatch(specs);
		violations.addAll(BatchRules.planViolations(plans));
		if (!violations.isEmpty()) {
			throw new InvalidBatchException(BatchRules.ordered(violations));
		}
		return inTransaction(() -> {
			specs.stream()
				.map((spec) -> List.of(spec.serverId(), spec.userName()))
				.sorted(Comparator.comparing((List<String> key) -> key.get(0)).thenComparing((key) -> key.get(1)))
				.forEach((key) -> this.submissionLock.lock(key.get(0), key.get(1)));
			specs.stream().map(UserSpec::bucket).distinct().sorted().forEach(this.submissionLock::lockBucket);
			requireNewBatch(ticketRef);
			List<BatchViolation> raced = databaseViolations(specs, List.of());
			if (!raced.isEmpty()) {
				throw new InvalidBatchException(BatchRules.ordered(raced));
			}
			RequestBatch batch = this.batches.saveAndFlush(
					new RequestBatch(ticketRef, acting.name(), callbackUrl, items.size(), this.clock.instant()));
			List<AccessRequest> stored = new ArrayList<>();
			for (int index = 0; index < items.size(); index++) {
				AccessRequest request = new AccessRequest(RequestKind.PROVISION,
						Objects.requireNonNull(plans.get(index).plan()), acting.name(), ticketRef,
						this.clock.instant());
				request.expiresAt(items.get(index).expiresAt());
				request.inBatch(batch.getId(), index);
				stored.add(request);
			}
			// each request registers its submitted and status events; saving publishes
			// them
			RequestBatchView view = RequestBatchView.of(batch, this.requests.saveAll(stored));
			alsoStore.accept(view);
			return view;
		});
	}

	/**
	 * Approves every item of the batch that waits for a decision, in one transaction that
	 * also schedules their runs: as {@link #approve} for each, by the same four-eyes
	 * rules (an approver, never the person who submitted the batch; never an
	 * integration).
	 * @throws RequestNotFoundException if the batch does not exist
	 * @throws RequestConflictException if no item waits for a decision
	 */
	@Transactional
	public RequestBatchView approveBatch(long batchId, Actor actor, @Nullable String comment) {
		requireValid(RequestTexts.comment("comment", comment));
		return decideBatch(batchId, actor,
				(request, acting, now) -> request.approve(acting.name(), comment, this.approvals.required(), now));
	}

	/**
	 * Rejects every item of the batch that waits for a decision, with one reason.
	 * @throws RequestNotFoundException if the batch does not exist
	 * @throws RequestConflictException if no item waits for a decision
	 */
	@Transactional
	public RequestBatchView rejectBatch(long batchId, Actor actor, @Nullable String reason) {
		requireValid(RequestTexts.comment("reason", reason));
		return decideBatch(batchId, actor, (request, acting, now) -> {
			request.reject(acting.name(), reason, now);
			return false;
		});
	}

	/**
	 * One decision for every item of the batch that waits for one, by an approver who did
	 * not submit the batch.
	 */
	private RequestBatchView decideBatch(long batchId, Actor actor, ItemDecision decision) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayDecide(acting);
		RequestBatch batch = batch(batchId);
		requireOtherThanSubmitter(batch, acting);
		Instant now = this.clock.instant();
		for (AccessRequest request : pendingItems(batch)) {
			boolean approved = decision.decide(request, acting, now);
			save(request);
			if (approved) {
				// scheduled in this transaction, as for one request: no approval loses
				// its
				// run
				this.events.publishEvent(new ProvisioningRequested(request.getId()));
			}
		}
		return RequestBatchView.of(batch, this.batches.findItems(batchId));
	}

	/** A batch with its items, or empty if there is none with this id. */
	@Transactional(readOnly = true)
	public Optional<RequestBatchView> findBatch(long batchId) {
		return this.batches.findById(batchId)
			.map((batch) -> RequestBatchView.of(batch, this.batches.findItems(batchId)));
	}

	/** The batch of a ticket, if one was submitted for it. */
	@Transactional(readOnly = true)
	public Optional<RequestBatchView> findBatch(String ticketRef) {
		return this.batches.findByTicketRef(ticketRef)
			.map((batch) -> RequestBatchView.of(batch, this.batches.findItems(batch.getId())));
	}

	/** Batches, newest first, each with its items counted by status (two queries). */
	@Transactional(readOnly = true)
	public Page<RequestBatchView.Summary> batches(Pageable pageable) {
		Page<RequestBatch> page = this.batches.findAllByOrderByIdDesc(pageable);
		Map<Long, Map<RequestStatus, Long>> counts = new HashMap<>();
		List<Long> ids = page.stream().map(RequestBatch::getId).toList();
		if (!ids.isEmpty()) {
			for (Object[] row : this.batches.countItemsByStatus(ids)) {
				counts.computeIfAbsent((Long) row[0], (id) -> RequestBatchView.zeroCounts())
					.put((RequestStatus) row[1], ((Number) row[2]).longValue());
			}
		}
		return page.map((batch) -> new RequestBatchView.Summary(batch.getId(), batch.getTicketRef(),
				batch.getRequestedBy(), batch.getItemCount(), batch.getCreatedAt(),
				counts.getOrDefault(batch.getId(), RequestBatchView.zeroCounts())));
	}

	/**
	 * The plan a provision request would get, without storing anything: the same checks
	 * as {@link #submitProvision}, then the plan.
	 * @throws InvalidUserSpecException for invalid input, including a home folder that
	 * overlaps another user's
	 */
	// no transaction: the plan reads AWS, and no connection is held meanwhile
	public Plan preview(UserSpec spec, Actor actor) {
		RequestAccessPolicy.maySubmit(resolve(actor));
		List<FieldViolation> violations = this.engine.validate(spec);
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
		requireAvailable(spec);
		return this.engine.plan(spec);
	}

	/**
	 * Plans the adoption of a Transfer user that exists outside the portal: the user's
	 * role (as an existing role) and SSH keys are kept, and the plan shows what the
	 * portal changes to bring it to its rules. It needs approval like a provision; once
	 * applied the user is managed like any other.
	 * @throws InvalidUserSpecException for invalid fields (before any AWS call), a server
	 * whose users the portal cannot manage, or a role the rules for existing roles refuse
	 * @throws RequestNotFoundException if the user does not exist
	 * @throws RequestConflictException if the portal already manages the user, the user
	 * has an open request, or it cannot be adopted as it is
	 * @throws PlanNotApplicableException if the plan has problems (nothing stored)
	 */
	public RequestView submitAdopt(Adoption adoption, @Nullable String ticketRef, Actor actor) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.maySubmit(acting);
		List<FieldViolation> violations = this.engine.validate(adoption);
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
		String serverId = adoption.serverId().strip();
		String userName = adoption.userName().strip();
		// checked first without locks, so that a refused request costs no AWS call, and
		// again under the locks below, after AWS was read outside any transaction
		refuseOpenRequest(serverId, userName);
		refuseManaged(serverId, userName);
		UserSpec spec;
		try {
			ExistingUser existing = this.engine.describeExisting(serverId, userName);
			spec = this.engine.adoptionSpec(adoption, existing);
		}
		catch (AdoptionRefusedException ex) {
			throw (ex.reason() == AdoptionRefusedException.Reason.NOT_FOUND)
					? new RequestNotFoundException(ex.getMessage()) : new RequestConflictException(ex.getMessage());
		}
		requireOwnHomeFolder(spec);
		Plan plan = this.engine.planAdoption(spec);
		return inTransaction(() -> {
			requireNoOpenRequest(serverId, userName);
			refuseManaged(serverId, userName);
			this.submissionLock.lockBucket(spec.bucket());
			requireOwnHomeFolder(spec);
			return submit(RequestKind.ADOPT, plan, ticketRef, acting);
		});
	}

	/**
	 * Plans a repair of a managed user back to its approved state: planned outside any
	 * transaction, stored under the user's submission lock if the user did not change
	 * meanwhile.
	 */
	public RequestView submitRepair(String serverId, String userName, @Nullable String ticketRef, Actor actor) {
		requireValid(RequestTexts.ticketRef(ticketRef));
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayChangeManagedUser(acting);
		ManagedUser user = activeUser(serverId, userName);
		refuseOpenRequest(serverId, userName);
		// a suspended user is repaired without its keys: a repair never ends a suspension
		Plan plan = this.engine.replan(user.effectiveSpec());
		return inTransaction(() -> {
			requireNoOpenRequest(serverId, userName);
			requireUnchanged(user);
			return submit(RequestKind.REPAIR, plan, ticketRef, acting);
		});
	}

	/**
	 * Plans a change of a managed user's SSH keys, access level, tags or expiry: the plan
	 * of the user with the changed settings, so it holds exactly the differences. It
	 * needs approval like a provision. A change that removes keys and adds others is a
	 * rotation: the removed keys stay for the overlap ({@link UserChange#retireAfter})
	 * and then go without another approval. A later {@code expiresAt} extends the access,
	 * and gives an expired user its keys back.
	 * @throws InvalidUserSpecException if the changed settings are invalid
	 * @throws RequestConflictException if the change changes nothing, or the user has an
	 * open request, is suspended for want of a review or changed while this was planned
	 */
	public RequestView submitModify(String serverId, String userName, UserChange change, @Nullable String ticketRef,
			Actor actor) {
		requireValid(RequestTexts.ticketRef(ticketRef));
		Acting acting = resolve(actor);
		RequestAccessPolicy.maySubmit(acting);
		ManagedUser user = activeUser(serverId, userName);
		UserSpec current = user.getSpec();
		UserSpec requested = change.applyTo(current);
		Instant now = this.clock.instant();
		List<FieldViolation> violations = new ArrayList<>(this.engine.validate(requested));
		violations.addAll(LifecycleRules.checkExpiry(change.expiresAt(), now));
		violations.addAll(LifecycleRules.checkRetireAfter(change.retireAfter()));
		if (user.getSuspension() == ManagedUser.Suspension.EXPIRED && change.expiresAt() == null) {
			violations.add(new FieldViolation("expiresAt", "the user's access expired at " + user.getExpiresAt()
					+ "; a change must give a later expiry (an extension) to let it sign in again"));
		}
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
		if (user.getSuspension() == ManagedUser.Suspension.UNREVIEWED) {
			throw new RequestConflictException("User " + userName + " on " + serverId
					+ " is suspended because its access review is overdue; an approver confirms it in the access"
					+ " review first");
		}
		LifecycleRules.Rotation rotation = LifecycleRules.rotation(current.sshPublicKeys(), requested.sshPublicKeys(),
				change.retireAfter(), this.lifecycle.rotationOverlap());
		UserSpec planned = rotation.keep(requested);
		boolean newExpiry = change.expiresAt() != null && !change.expiresAt().equals(user.getExpiresAt());
		if (planned.equals(current) && !newExpiry && user.getSuspension() == null) {
			throw new RequestConflictException("User " + userName + " on " + serverId
					+ " already has these SSH keys, access level, tags and expiry; nothing to change");
		}
		refuseOpenRequest(serverId, userName);
		Plan plan = this.engine.planChange(current, planned);
		return inTransaction(() -> {
			requireNoOpenRequest(serverId, userName);
			requireUnchanged(user);
			return submit(RequestKind.MODIFY, plan, ticketRef, acting, (request) -> {
				request.replaces(current);
				request.expiresAt(change.expiresAt());
				if (!rotation.retired().isEmpty()) {
					request.retires(rotation.retired(), rotation.overlap());
				}
			});
		});
	}

	/**
	 * Plans the removal of a managed user, keeping what other managed users still need
	 * (the run plans it again with the users managed then). Planned outside any
	 * transaction, stored under the user's submission lock if the user did not change
	 * meanwhile.
	 */
	public RequestView submitDeprovision(String serverId, String userName, @Nullable String ticketRef, Actor actor) {
		requireValid(RequestTexts.ticketRef(ticketRef));
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayChangeManagedUser(acting);
		ManagedUser user = activeUser(serverId, userName);
		refuseOpenRequest(serverId, userName);
		Plan plan = this.engine.planRemoval(user.getSpec(), this.register.otherSpecs(serverId, userName));
		return inTransaction(() -> {
			requireNoOpenRequest(serverId, userName);
			requireUnchanged(user);
			return submit(RequestKind.DEPROVISION, plan, ticketRef, acting);
		});
	}

	/**
	 * Approves the request's current plan. Of two approvals at the same moment one wins;
	 * the other finds the request decided ({@link RequestConflictException}).
	 */
	@Transactional
	public RequestView approve(long id, Actor actor, @Nullable String comment) {
		requireValid(RequestTexts.comment("comment", comment));
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayDecide(acting);
		AccessRequest request = loadForUpdate(id);
		boolean approved = request.approve(acting.name(), comment, this.approvals.required(), this.clock.instant());
		save(request);
		if (approved) {
			// the run is scheduled in this transaction (ProvisioningScheduler): the
			// approval cannot lose its run
			this.events.publishEvent(new ProvisioningRequested(id));
		}
		return RequestView.of(request);
	}

	@Transactional
	public RequestView reject(long id, Actor actor, @Nullable String reason) {
		requireValid(RequestTexts.comment("reason", reason));
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayDecide(acting);
		AccessRequest request = loadForUpdate(id);
		request.reject(acting.name(), reason, this.clock.instant());
		return RequestView.of(save(request));
	}

	@Transactional
	public RequestView cancel(long id, Actor actor) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayCancel(acting);
		AccessRequest request = loadForUpdate(id);
		request.cancel(acting.name(), !acting.isIntegration() && acting.hasAny(PortalRole.ADMIN), this.clock.instant());
		return RequestView.of(save(request));
	}

	/**
	 * Closes an open request for good: an admin's way out of a request nobody else can
	 * move on (its requester left, its run keeps failing, its run was lost), which would
	 * otherwise keep its user from being asked for again. Refused while an instance runs
	 * it, so that no AWS write follows the close. Audited with the reason, and the
	 * requester's ticketing system is called back like for any status change.
	 * @throws InvalidUserSpecException without a reason, or with one too long
	 * @throws RequestConflictException if the request is final, or a run is under way
	 */
	@Transactional
	public RequestView close(long id, Actor actor, @Nullable String reason) {
		String why = (reason != null) ? reason.strip() : "";
		requireValid(why.isEmpty() ? List.of(new FieldViolation("reason", "must say why the request is closed"))
				: RequestTexts.comment("reason", why));
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayClose(acting);
		AccessRequest request = loadForUpdate(id);
		if (!RequestStatus.OPEN.contains(request.getStatus())) {
			throw new RequestConflictException("Request " + id + " is already closed: it is " + request.getStatus());
		}
		if (!this.scheduler.cancelRuns(id)) {
			throw new RequestConflictException("Request " + id
					+ " is being run now, or its instance stopped and another one resumes it soon: it ends ACTIVE or "
					+ "FAILED, or can be closed once no instance runs it");
		}
		Instant now = this.clock.instant();
		request.close(acting.name(), why, now);
		this.steps.findByRequestIdOrderById(id)
			.stream()
			.filter((step) -> step.getStatus() == RequestStep.StepStatus.RUNNING)
			.forEach((step) -> step.fail("Closed by " + acting.name() + " before this step finished", now));
		return RequestView.of(save(request));
	}

	/**
	 * Runs a failed request's approved plan again; steps already done are found done and
	 * not repeated.
	 */
	@Transactional
	public RequestView retry(long id, Actor actor) {
		Acting acting = resolve(actor);
		AccessRequest request = loadForUpdate(id);
		RequestAccessPolicy.mayRetry(acting, request.getRequestedBy());
		request.requestRetry(this.clock.instant());
		save(request);
		this.events.publishEvent(new RetryRequested(id, request.getServerId(), request.getUserName(),
				request.getTicketRef(), acting.name(), this.clock.instant()));
		this.events.publishEvent(new ProvisioningRequested(id));
		return RequestView.of(request);
	}

	/**
	 * Verifies a managed user's resources in AWS now (reads only) and stores the result.
	 * @throws RequestNotFoundException if the portal does not manage this user
	 */
	public ManagedUserView verify(String serverId, String userName, Actor actor) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayVerify(acting);
		return this.register.verify(serverId, userName, acting.name());
	}

	/**
	 * Verifies the chosen managed users now (reads only, the shared reads once for all of
	 * them) and stores the results; users the portal does not manage (any more) are left
	 * out.
	 * @param users server id and user name of each, at most {@link #MAX_SELECTED}
	 * @return the users verified, in the order asked
	 */
	public List<ManagedUserView> verify(List<UserKey> users, Actor actor) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayVerify(acting);
		if (users.size() > MAX_SELECTED) {
			throw new RequestConflictException(
					"Choose at most " + MAX_SELECTED + " users at once (" + users.size() + " were chosen)");
		}
		return this.register.verify(users, acting.name());
	}

	/**
	 * Asks for the verification sweep to run now instead of at its next turn: one
	 * instance verifies every active user in the background, and the dashboard shows the
	 * results as they are stored. Recorded in the audit trail as the person's.
	 */
	@Transactional
	public void verifyEveryoneSoon(Actor actor) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayVerifyEveryone(acting);
		this.events.publishEvent(new VerificationSweepRequested(acting.name(), this.clock.instant()));
	}

	/**
	 * An approver's periodic review of a managed user's access ({@code
	 * portal.lifecycle.review-interval}). CONFIRM records the review, so the next one is
	 * due an interval from now; a user suspended for want of a review gets its SSH keys
	 * back (a REINSTATE request covered by this review). REVOKE removes the user: a
	 * DEPROVISION request covered by this review, so it needs no second approval. Every
	 * decision is in the audit trail ({@link AccessReviewed}).
	 * @param comment why; required for REVOKE
	 * @throws RequestNotAllowedException if the actor is no approver, or asked for the
	 * access it would review (four eyes)
	 * @throws InvalidUserSpecException for a missing (REVOKE), overlong or unprintable
	 * comment
	 * @throws RequestConflictException if periodic reviews are off, the user is not
	 * managed any more, or a request it needs cannot be made because the user has an open
	 * one
	 * @throws RequestNotFoundException if the portal does not manage this user
	 */
	public ReviewResult review(String serverId, String userName, ReviewDecision decision, @Nullable String comment,
			Actor actor) {
		Acting acting = resolve(actor);
		RequestAccessPolicy.mayReview(acting);
		List<FieldViolation> violations = ReviewPolicy.commentViolations(decision, comment);
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
		if (!reviewsEnabled()) {
			throw new RequestConflictException(
					"Periodic access reviews are off (portal.lifecycle.review-interval is not set); nothing to review");
		}
		@Nullable String reason = (comment == null || comment.isBlank()) ? null : comment.strip();
		ManagedUser user = activeUser(serverId, userName);
		ReviewPolicy.reviewerDidNotAskForTheAccess(user, acting.name());
		// the request the decision makes is planned outside any transaction (planning
		// reads AWS), then stored under the user's submission lock if the user did not
		// change meanwhile
		RequestKind kind = null;
		Plan plan = null;
		if (decision == ReviewDecision.REVOKE) {
			refuseOpenRequest(serverId, userName);
			kind = RequestKind.DEPROVISION;
			plan = this.engine.planRemoval(user.getSpec(), this.register.otherSpecs(serverId, userName));
		}
		else if (suspending(serverId, userName)) {
			throw beingSuspended(serverId, userName);
		}
		else if (user.getSuspension() == ManagedUser.Suspension.UNREVIEWED) {
			refuseOpenRequest(serverId, userName);
			// the approved settings again, with their SSH keys
			kind = RequestKind.REINSTATE;
			plan = this.engine.plan(user.getSpec());
		}
		RequestKind madeKind = kind;
		Plan madePlan = plan;
		return inTransaction(() -> {
			// one decision per user at a time, and none while a request for it is stored
			this.submissionLock.lock(serverId, userName);
			ManagedUser current = requireUnchanged(user);
			Instant now = this.clock.instant();
			String coveredBy = "the access review by " + acting.name();
			if (decision != ReviewDecision.REVOKE && suspending(serverId, userName)) {
				throw beingSuspended(serverId, userName);
			}
			if (current.getSuspension() != user.getSuspension()) {
				throw new RequestConflictException("User " + userName + " on " + serverId
						+ " changed while this review was planned; look at it again and decide again");
			}
			AccessRequest made = null;
			if (madeKind != null && madePlan != null) {
				refuseOpenRequest(serverId, userName);
				made = covered(madeKind, madePlan, acting, coveredBy, now);
			}
			if (decision != ReviewDecision.REVOKE) {
				current.reviewed(acting.name(), now);
				this.users.saveAndFlush(current);
			}
			this.events.publishEvent(new AccessReviewed(serverId, userName, acting.name(), decision, reason,
					(made != null) ? made.getId() : null, now));
			return new ReviewResult(view(current), (made != null) ? RequestView.of(made) : null);
		});
	}

	/**
	 * Whether the user's SUSPEND request (its review was overdue) is open: a confirmation
	 * now would be lost under the suspension being applied.
	 */
	private boolean suspending(String serverId, String userName) {
		return this.requests.existsByServerIdAndUserNameAndKindAndStatusIn(serverId, userName, RequestKind.SUSPEND,
				RequestStatus.OPEN);
	}

	private static RequestConflictException beingSuspended(String serverId, String userName) {
		return new RequestConflictException("User " + userName + " on " + serverId
				+ " is being suspended because its review was overdue; confirm it once that is done");
	}

	/**
	 * Whether periodic access reviews are on ({@code portal.lifecycle.review-interval}).
	 */
	public boolean reviewsEnabled() {
		return this.lifecycle.reviewInterval() != null;
	}

	/**
	 * Active users (suspended ones too) whose review is overdue or due within
	 * {@code within}, the longest unreviewed first; empty when reviews are off.
	 */
	@Transactional(readOnly = true)
	public Page<ManagedUserView> reviewsDue(Duration within, Pageable pageable) {
		Duration interval = this.lifecycle.reviewInterval();
		if (interval == null) {
			return Page.empty(pageable);
		}
		Instant lastBefore = ReviewPolicy.overdueIfLastBefore(this.clock.instant().plus(within), interval);
		return this.users.findReviewedBefore(ManagedUser.Status.ACTIVE, lastBefore, pageable).map(this::view);
	}

	@Transactional(readOnly = true)
	public Optional<RequestView> find(long id) {
		return this.requests.findById(id).map(RequestView::of);
	}

	/** Requests, newest first, optionally filtered by ticket reference and status. */
	@Transactional(readOnly = true)
	public Page<RequestView> search(@Nullable String ticketRef, @Nullable RequestStatus status, Pageable pageable) {
		return this.requests.search(ticketRef, status, pageable).map(RequestView::of);
	}

	/**
	 * Requests matching a search of the requests list, in the page's order (newest first
	 * unless it says otherwise).
	 */
	@Transactional(readOnly = true)
	public Page<RequestView> search(RequestSearch search, Pageable pageable) {
		Pageable page = pageable.getSort().isSorted() ? pageable
				: PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by(Sort.Direction.DESC, "id"));
		return this.requests.findAll(search.specification(), page).map(RequestView::of);
	}

	/**
	 * How many requests wait for an approver's decision (pending, or back for approval
	 * after the live state changed): the navigation's count. One indexed count.
	 */
	@Transactional(readOnly = true)
	public long awaitingDecision() {
		return this.requests.countByStatusIn(List.of(RequestStatus.PENDING_APPROVAL, RequestStatus.NEEDS_REAPPROVAL));
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
		return this.users.findByServerIdAndUserName(serverId, userName).map(this::view);
	}

	/**
	 * An active managed user's SSH keys with when Transfer imported each and whether it
	 * is due for rotation (one AWS read); empty when the user is not active or cannot be
	 * read, which the checks report.
	 */
	public List<SshKeyView> sshKeys(String serverId, String userName) {
		return this.users.findByServerIdAndUserName(serverId, userName)
			.filter((user) -> user.getStatus() == ManagedUser.Status.ACTIVE)
			.map((user) -> {
				try {
					Set<String> retiring = user.getRetireKeys()
						.stream()
						.map(SshKey::fingerprintOf)
						.filter(Objects::nonNull)
						.collect(Collectors.toSet());
					return this.engine.sshKeys(user.effectiveSpec())
						.stream()
						.map((key) -> SshKeyView.of(key, this.lifecycle.maxSshKeyAge(), retiring, user.getRetireAt(),
								user.getExpiresAt(), this.clock))
						.toList();
				}
				catch (ProvisioningException ex) {
					return List.<SshKeyView>of();
				}
			})
			.orElse(List.of());
	}

	/**
	 * How an active managed user connects (one AWS read of its server); empty when the
	 * user is not active or the server cannot be read, which the checks report.
	 */
	public Optional<Connection> connection(String serverId, String userName) {
		return this.users.findByServerIdAndUserName(serverId, userName)
			.filter((user) -> user.getStatus() == ManagedUser.Status.ACTIVE)
			.flatMap((user) -> {
				try {
					return Optional.of(this.engine.connection(user.getSpec()));
				}
				catch (ProvisioningException ex) {
					return Optional.empty();
				}
			});
	}

	/**
	 * A page of active managed users for the dashboard, filtered in the database (no AWS
	 * call).
	 * @param text part of a server id or user name, any case; {@code null} for all
	 * @param health only users of this health; {@code null} for all
	 */
	@Transactional(readOnly = true)
	public Page<ManagedUserView> managedUsers(@Nullable String text, @Nullable Health health, Pageable pageable) {
		return managedUsers(text, health, null, pageable);
	}

	/**
	 * As {@link #managedUsers(String, Health, Pageable)}, and only users in one state of
	 * their life ({@code null} for all), found by the database with cut-offs from the
	 * lifecycle settings and the clock. The page and its total come from
	 * {@link ManagedUserSearches} (kept until a managed user changes; counted only when
	 * the page does not tell it).
	 */
	@Transactional(readOnly = true)
	public Page<ManagedUserView> managedUsers(@Nullable String text, @Nullable Health health,
			@Nullable LifecycleState lifecycle, Pageable pageable) {
		String pattern = pattern(text);
		LifecycleCutoffs cutoffs = LifecycleCutoffs.of(this.lifecycle, this.clock.instant());
		Pageable page = (health != null && pageable.getSort().equals(USER_ORDER))
				? PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), USER_ORDER_OF_ONE_HEALTH) : pageable;
		List<ManagedUserView> users = this.searches.page(pattern, health, lifecycle, page,
				() -> search(pattern, health, lifecycle, cutoffs, page).stream().map(this::view).toList());
		return PageableExecutionUtils.getPage(users, page,
				() -> this.searches.matching(pattern, health, lifecycle, cutoffs));
	}

	private List<ManagedUser> search(@Nullable String pattern, @Nullable Health health,
			@Nullable LifecycleState lifecycle, LifecycleCutoffs cutoffs, Pageable page) {
		return (lifecycle != null) ? switch (lifecycle) {
			case EXPIRING -> this.users.searchExpiring(pattern, health, cutoffs.expiringBy(), page);
			case SUSPENDED -> this.users.searchSuspended(pattern, health, page);
			case ROTATION_DUE -> this.users.searchRotationDue(pattern, health, cutoffs.keysImportedBefore(), page);
			case REVIEW_OVERDUE -> this.users.searchReviewOverdue(pattern, health, cutoffs.reviewedBefore(), page);
		} : this.users.search(pattern, health, page);
	}

	/**
	 * Users the portal removed (deprovisioned), for the dashboard's filter: they keep
	 * their requests and audit trail.
	 * @param text part of a server id or user name, any case; {@code null} for all
	 */
	@Transactional(readOnly = true)
	public Page<ManagedUserView> deprovisionedUsers(@Nullable String text, Pageable pageable) {
		return this.users.searchDeprovisioned(pattern(text), pageable).map(this::view);
	}

	/** Bad input first, before any lookup, conflict or AWS call. */
	private static void requireValid(List<FieldViolation> violations) {
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
	}

	/**
	 * A LIKE pattern that finds the text anywhere, in any case; typed wildcards are
	 * dropped.
	 */
	private static @Nullable String pattern(@Nullable String text) {
		return (text == null || text.isBlank()) ? null
				: "%" + text.strip().toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%";
	}

	/** How many active users are in each state of their life, for the dashboard. */
	@Transactional(readOnly = true)
	public Map<LifecycleState, Long> lifecycleCounts() {
		return this.searches.byLifecycle(LifecycleCutoffs.of(this.lifecycle, this.clock.instant()));
	}

	/** How many active users are in each health, for the dashboard's counts and chart. */
	@Transactional(readOnly = true)
	public Map<Health, Long> healthCounts() {
		return this.searches.byHealth();
	}

	/**
	 * The ids of a user's requests, newest first (for callbacks about the user: the
	 * newest that asked for them is told).
	 */
	@Transactional(readOnly = true)
	public List<Long> requestIds(String serverId, String userName) {
		return this.requests.findIdsOfUser(serverId, userName);
	}

	@Transactional(readOnly = true)
	public List<ManagedUserView> activeUsers() {
		return this.users.findByStatusOrderByServerIdAscUserNameAsc(ManagedUser.Status.ACTIVE)
			.stream()
			.map(this::view)
			.toList();
	}

	private ManagedUserView view(ManagedUser user) {
		return ManagedUserView.of(user, this.lifecycle, this.clock.instant());
	}

	private RequestView submit(RequestKind kind, Plan plan, @Nullable String ticketRef, Acting actor) {
		return submit(kind, plan, ticketRef, actor, (request) -> {
		});
	}

	/**
	 * Stores a request whose {@code terms} say what its approval grants beyond the plan.
	 */
	private RequestView submit(RequestKind kind, Plan plan, @Nullable String ticketRef, Acting actor,
			Consumer<AccessRequest> terms) {
		if (!plan.isApplicable()) {
			throw new PlanNotApplicableException(plan);
		}
		AccessRequest request = new AccessRequest(kind, plan, actor.name(), ticketRef, this.clock.instant());
		terms.accept(request);
		// the request registers its submitted and status events; saving publishes them
		return RequestView.of(this.requests.save(request));
	}

	/**
	 * A request covered by an earlier decision, stored APPROVED and scheduled in this
	 * transaction.
	 */
	private AccessRequest covered(RequestKind kind, Plan plan, Acting actor, String coveredBy, Instant now) {
		if (!plan.isApplicable()) {
			throw new PlanNotApplicableException(plan);
		}
		AccessRequest request = this.requests
			.save(AccessRequest.covered(kind, plan, actor.name(), null, coveredBy, now));
		this.events.publishEvent(new ProvisioningRequested(request.getId()));
		return request;
	}

	/**
	 * What the database says about a new user: no open request, not managed, and a home
	 * folder of its own.
	 */
	/**
	 * The name is free for a new user: no open request for it, and not a user the portal
	 * manages. The same check for a preview as for a submission, so that a preview never
	 * shows a plan the submission would refuse.
	 * @throws UserTakenException naming the request or the user to look at instead
	 */
	private void requireAvailable(UserSpec spec) {
		String serverId = spec.serverId();
		String userName = spec.userName();
		// one query: the open request, if any, which the refusal links to
		Optional<AccessRequest> open = this.requests.findFirstByServerIdAndUserNameAndStatusInOrderByIdDesc(serverId,
				userName, RequestStatus.OPEN);
		if (open.isPresent()) {
			throw new UserTakenException(serverId, userName, open.get().getId(),
					"User " + userName + " on " + serverId + " already has an open request; follow it there");
		}
		requireOwnHomeFolder(spec);
		this.users.findByServerIdAndUserName(serverId, userName)
			.filter((user) -> user.getStatus() == ManagedUser.Status.ACTIVE)
			.ifPresent((user) -> {
				throw new UserTakenException(serverId, userName, null, "User " + userName + " on " + serverId
						+ " is already managed by the portal; its page shows it and takes a change");
			});
	}

	/**
	 * The items' conflicts with what the database holds: users with open requests or
	 * already managed, and home folders overlapping a managed or requested user's. Items
	 * already invalid for their input are not checked again.
	 */
	private List<BatchViolation> databaseViolations(List<UserSpec> specs, List<BatchViolation> known) {
		Set<Integer> invalid = known.stream().map(BatchViolation::index).collect(Collectors.toSet());
		// every managed user and open request, read once for the whole batch, by bucket
		// (home folders overlap only within one)
		Map<String, List<UserSpec>> others = this.register.otherSpecs("", "")
			.stream()
			.collect(Collectors.groupingBy(UserSpec::bucket));
		List<BatchViolation> violations = new ArrayList<>();
		for (int index = 0; index < specs.size(); index++) {
			if (invalid.contains(index)) {
				continue;
			}
			UserSpec spec = specs.get(index);
			String name = spec.userName() + " on " + spec.serverId();
			if (this.requests.existsByServerIdAndUserNameAndStatusIn(spec.serverId(), spec.userName(),
					RequestStatus.OPEN)) {
				violations.add(new BatchViolation(index, "userName",
						"user " + name + " already has an open request; finish or cancel it first"));
				continue;
			}
			if (this.users.findByServerIdAndUserName(spec.serverId(), spec.userName())
				.filter((user) -> user.getStatus() == ManagedUser.Status.ACTIVE)
				.isPresent()) {
				violations.add(new BatchViolation(index, "userName", "user " + name + " is already managed"));
				continue;
			}
			// the user itself, if managed or asked for, is ignored
			for (FieldViolation overlap : this.engine.validateHomeFolder(spec,
					others.getOrDefault(spec.bucket(), List.of()))) {
				violations.add(new BatchViolation(index, overlap.field(), overlap.message()));
			}
		}
		return violations;
	}

	private void requireNewBatch(String ticketRef) {
		if (this.batches.findByTicketRef(ticketRef).isPresent()) {
			throw new RequestConflictException("Ticket " + ticketRef + " already has a batch");
		}
	}

	private RequestBatch batch(long batchId) {
		return this.batches.findById(batchId)
			.orElseThrow(() -> new RequestNotFoundException("Batch " + batchId + " does not exist"));
	}

	/** Four eyes for the batch as a whole, before any item is touched. */
	private static void requireOtherThanSubmitter(RequestBatch batch, Acting acting) {
		if (batch.getRequestedBy().equalsIgnoreCase(acting.name())) {
			throw new RequestNotAllowedException("Four eyes: " + acting.name() + " submitted batch " + batch.getId()
					+ " and cannot approve or reject it");
		}
	}

	/**
	 * The batch's items that wait for a decision, all locked as {@link #loadForUpdate}
	 * locks one (two decisions on one batch take turns: the second finds it decided).
	 */
	private List<AccessRequest> pendingItems(RequestBatch batch) {
		List<AccessRequest> pending = this.batches.findItemsForUpdate(batch.getId())
			.stream()
			.filter((item) -> item.getStatus() == RequestStatus.PENDING_APPROVAL
					|| item.getStatus() == RequestStatus.NEEDS_REAPPROVAL)
			.toList();
		if (pending.isEmpty()) {
			throw new RequestConflictException("No item of batch " + batch.getId() + " waits for a decision");
		}
		return pending;
	}

	private <T> T inTransaction(Supplier<T> work) {
		return Objects.requireNonNull(this.transaction.execute((status) -> work.get()));
	}

	private void requireNoOpenRequest(String serverId, String userName) {
		// held until this transaction commits
		this.submissionLock.lock(serverId, userName);
		refuseOpenRequest(serverId, userName);
	}

	private void refuseOpenRequest(String serverId, String userName) {
		if (this.requests.existsByServerIdAndUserNameAndStatusIn(serverId, userName, RequestStatus.OPEN)) {
			throw new RequestConflictException(
					"User " + userName + " on " + serverId + " already has an open request; finish or cancel it first");
		}
	}

	private void refuseManaged(String serverId, String userName) {
		this.users.findByServerIdAndUserName(serverId, userName)
			.filter((user) -> user.getStatus() == ManagedUser.Status.ACTIVE)
			.ifPresent((user) -> {
				throw new RequestConflictException("User " + userName + " on " + serverId
						+ " is already managed by the portal; request a change or a repair instead");
			});
	}

	/**
	 * Under the user's submission lock: the managed user a plan was made from (read
	 * before AWS, outside any transaction) is still what the database holds. A request
	 * that finished meanwhile, a verification aside, changes what the plan starts from.
	 * @return the user as the database holds it now
	 */
	private ManagedUser requireUnchanged(ManagedUser planned) {
		ManagedUser now = activeUser(planned.getServerId(), planned.getUserName());
		if (!Objects.equals(now.getLastRequestId(), planned.getLastRequestId())
				|| !now.effectiveSpec().equals(planned.effectiveSpec())
				|| !Objects.equals(now.getExpiresAt(), planned.getExpiresAt())) {
			throw new RequestConflictException("User " + planned.getUserName() + " on " + planned.getServerId()
					+ " changed while this request was planned; look at it again and submit again");
		}
		return now;
	}

	private void requireOwnHomeFolder(UserSpec spec) {
		List<FieldViolation> overlaps = this.engine.validateHomeFolder(spec,
				this.register.otherSpecs(spec.serverId(), spec.userName()));
		if (!overlaps.isEmpty()) {
			throw new InvalidUserSpecException(overlaps);
		}
	}

	private ManagedUser activeUser(String serverId, String userName) {
		ManagedUser user = this.users.findByServerIdAndUserName(serverId, userName)
			.orElseThrow(() -> new RequestNotFoundException(
					"User " + userName + " on " + serverId + " is not managed by the portal"));
		if (user.getStatus() != ManagedUser.Status.ACTIVE) {
			throw new RequestConflictException("User " + userName + " on " + serverId + " is not managed any more");
		}
		return user;
	}

	/**
	 * The request with its row locked until the transaction ends, so that two commands on
	 * one request at the same moment take turns: the second sees what the first decided.
	 */
	private AccessRequest loadForUpdate(long id) {
		return this.requests.findForUpdateById(id)
			.orElseThrow(() -> new RequestNotFoundException("Request " + id + " does not exist"));
	}

	/**
	 * Writes the change now rather than at commit, so that a write that lost a race (a
	 * runner's claim in between, the same decision twice) is a conflict, not an error.
	 */
	private AccessRequest save(AccessRequest request) {
		try {
			return this.requests.saveAndFlush(request);
		}
		catch (ConcurrencyFailureException | DataIntegrityViolationException ex) {
			if (!DataConflicts.isConflict(ex)) {
				throw ex;
			}
			throw new RequestConflictException(
					"Request " + request.getId() + " was changed by someone else at the same moment; reload it");
		}
	}

	/**
	 * The actor as the rules see it: a person's roles and enabled state as stored now.
	 */
	private Acting resolve(Actor actor) {
		if (actor instanceof Actor.Integration client) {
			return Acting.integration(client.name(), client.scopes());
		}
		if (actor instanceof Actor.SsoPerson person) {
			return Acting.person(person.name(), true, person.roles());
		}
		return this.accounts.current(actor.name())
			.map((account) -> Acting.person(account.username(), account.enabled(), account.roles()))
			.orElseGet(() -> Acting.person(actor.name(), false, Set.of()));
	}

	/**
	 * What a batch decision does to one waiting item: whether it is now approved (its run
	 * is to be scheduled).
	 */
	@FunctionalInterface
	private interface ItemDecision {

		boolean decide(AccessRequest request, Acting acting, Instant now);

	}

}
