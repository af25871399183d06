package io.transferportal.requests;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.ApplyResult;
import io.transferportal.provisioning.ChangedSinceApprovalException;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningEngine.Attempt;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ProvisioningListener;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.Verification;
import io.transferportal.requests.RequestEvents.AwsCallFailed;
import io.transferportal.requests.RequestEvents.AwsChangeApplied;

/**
 * Applies approved requests, at most once at a time per request across all instances.
 * <p>
 * Runs are one-time tasks of db-scheduler ({@link ProvisioningScheduler}): the approval
 * (or retry) inserts the execution in its own transaction, one instance picks it, keeps
 * it alive with heartbeats, and an execution whose instance stopped heartbeating is
 * revived by another instance. This runner records on the request which pick of which
 * execution runs it ({@link AccessRequest#isRunnableBy}); before every step it checks
 * that its heartbeat holds and that the request is still its own, so a run that was taken
 * over stops before its next AWS write. Steps are idempotent, so a resumed run repeats no
 * AWS change.
 * <p>
 * The engine applies the approved plan, deciding each resource again just before it
 * writes it; if the live state changed since approval the request goes back to
 * NEEDS_REAPPROVAL with a new plan, with nothing written to what changed (and nothing at
 * all when a resource the plan leaves unchanged changed: those are checked first).
 */
@Component
class ProvisioningRunner {

	private static final Logger logger = LoggerFactory.getLogger(ProvisioningRunner.class);

	static final String ACTOR = "portal";

	/** The MDC key of the request a run works on. */
	static final String REQUEST_ID = "requestId";

	/** The MDC key of the run's ticket reference, where the request has one. */
	static final String TICKET_REF = "ticketRef";

	static final String FOUND_AS_REQUIRED = "Found as required after the run that began this step stopped";

	private final AccessRequestRepository requests;

	private final RequestStepRepository steps;

	private final ManagedUserRegister register;

	private final ProvisioningEngine engine;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final RequestMetrics metrics;

	ProvisioningRunner(AccessRequestRepository requests, RequestStepRepository steps, ManagedUserRegister register,
			ProvisioningEngine engine, ApplicationEventPublisher events, PlatformTransactionManager transactions,
			Clock clock, RequestMetrics metrics) {
		this.requests = requests;
		this.steps = steps;
		this.register = register;
		this.engine = engine;
		this.events = events;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
		this.metrics = metrics;
	}

	/**
	 * Runs one pick of a scheduled execution: the request if it is runnable by it,
	 * otherwise nothing (it finished meanwhile, or another execution runs it).
	 * @throws RunTakenOverException if the run stopped before a write because its
	 * heartbeat failed or another pick took the request; the scheduler keeps the
	 * execution, and a later pick resumes the request or finds it finished
	 */
	void run(Run run) {
		// every line a run logs names its request and ticket: with structured logging
		// (logging.structured.format.console=ecs) the MDC entries are fields of each line
		try (MDC.MDCCloseable requestId = MDC.putCloseable(REQUEST_ID, String.valueOf(run.requestId()))) {
			AccessRequest request = start(run);
			if (request == null) {
				return;
			}
			String ticketRef = request.getTicketRef();
			if (ticketRef == null) {
				runStarted(run, request);
				return;
			}
			try (MDC.MDCCloseable ticket = MDC.putCloseable(TICKET_REF, ticketRef)) {
				runStarted(run, request);
			}
		}
	}

	private void runStarted(Run run, AccessRequest request) {
		logger.info("Request {}: {} of user {} on {} started", run.requestId(), request.getKind(),
				request.getUserName(), request.getServerId());
		try {
			// the approved plan is applied as it is: the engine decides each resource
			// again from what it reads just before writing it (under the resource's lock)
			// and
			// refuses anything the approval does not cover. A removal alone is re-planned
			// first, with the users the portal manages today, so it keeps what another
			// user came to share since.
			Plan current = (request.getKind() == RequestKind.DEPROVISION) ? currentPlanWithinApproval(run, request)
					: request.getPlan();
			if (current != null) {
				apply(run, request, current);
			}
		}
		catch (RunTakenOverException ex) {
			logger.warn("Request {}: stopped before the next write ({})", run.requestId(), ex.getMessage());
			throw ex;
		}
		catch (ChangedSinceApprovalException ex) {
			// a resource changed between the re-plan and its write: nothing was written
			// to it, and what is there now needs a new approval
			logger.info("Request {}: {}", run.requestId(), ex.getMessage());
			try {
				Plan replanned = plan(request);
				String summary = "The live AWS state changed during the run (" + ex.getMessage()
						+ "); the new plan needs approval";
				finish(run, (r) -> r.needsReapproval(replanned, summary, this.clock.instant()), summary);
			}
			catch (RuntimeException replanFailed) {
				// a request must not stay PROVISIONING because its new plan could not be
				// made
				fail(run, replanFailed);
			}
		}
		catch (RuntimeException ex) {
			fail(run, ex);
		}
	}

	private void fail(Run run, RuntimeException ex) {
		if (ex instanceof ProvisioningException failed) {
			recordFailedCall(run, failed);
		}
		String summary = "Failed: " + safeMessage(ex);
		finish(run, (r) -> r.fail(safeMessage(ex), summary, this.clock.instant()), summary);
	}

	/**
	 * The request id of a failed AWS call stays out of the failure message; the audit
	 * trail records it, for CloudTrail and AWS support.
	 */
	private void recordFailedCall(Run run, ProvisioningException ex) {
		String awsRequestId = ex.awsRequestId();
		if (awsRequestId == null) {
			return;
		}
		this.transaction.executeWithoutResult((status) -> {
			AccessRequest request = this.requests.findById(run.requestId()).orElseThrow();
			this.events.publishEvent(new AwsCallFailed(request.getId(), request.getServerId(), request.getUserName(),
					request.getTicketRef(), ex.resource(), awsRequestId, safeMessage(ex), this.clock.instant()));
		});
	}

	private @Nullable AccessRequest start(Run run) {
		try {
			return this.transaction.execute((status) -> {
				AccessRequest request = this.requests.findById(run.requestId()).orElse(null);
				if (request == null || !request.isRunnableBy(run.execution())) {
					return null;
				}
				if (request.isTakenOverBy(run.execution(), run.pick())) {
					this.metrics.tookOver();
				}
				request.startProvisioning(run.execution(), run.pick(), this.clock.instant());
				return this.requests.save(request); // publishes the status change, if any
			});
		}
		catch (OptimisticLockingFailureException ex) {
			// another execution of the same request (a second retry) started it at the
			// same moment
			return null;
		}
	}

	/**
	 * Re-plans. A plan that would write something the approved one did not needs a new
	 * approval; one that only finds some changes already done (by an earlier, interrupted
	 * run, or by a request on the same bucket) does not.
	 * @return the plan to apply, or {@code null} if the request went back for approval
	 */
	private @Nullable Plan currentPlanWithinApproval(Run run, AccessRequest request) {
		Plan current = plan(request);
		// an unchanged plan is trivially within its approval
		if (current.isWithin(request.getPlan())) {
			return current;
		}
		String summary = "The live AWS state changed since approval; the new plan needs approval";
		finish(run, (r) -> r.needsReapproval(current, summary, this.clock.instant()), summary);
		return null;
	}

	private Plan plan(AccessRequest request) {
		return switch (request.getKind()) {
			case DEPROVISION -> this.engine.planRemoval(request.getSpec(),
					this.register.otherSpecs(request.getServerId(), request.getUserName()));
			case ADOPT -> this.engine.planAdoption(request.getSpec());
			// a change removes the tags the portal set before and the change drops
			case MODIFY -> (request.getPreviousSpec() != null)
					? this.engine.planChange(request.getPreviousSpec(), request.getSpec())
					: this.engine.replan(request.getSpec());
			// approved settings, which a suspension leaves without keys
			default -> this.engine.replan(request.getSpec());
		};
	}

	private void apply(Run run, AccessRequest request, Plan plan) {
		long id = request.getId();
		// a run that finds steps of an earlier one (interrupted, failed, sent back for
		// approval) reads before it creates anything, and may complete what those steps
		// began to create
		Set<ResourceKind> begun = this.steps.findByRequestIdOrderById(id)
			.stream()
			.map(RequestStep::getResource)
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(ResourceKind.class)));
		Attempt attempt = Attempt.after(begun);
		ApplyResult result = this.engine.apply(plan, attempt, new ProvisioningListener() {

			@Override
			public void stepStarted(ResourceKind resource) {
				if (run.heartbeatLost().getAsBoolean()) {
					// another instance may soon find this execution dead and revive it
					throw new RunTakenOverException("the heartbeat of request " + id + " failed before " + resource);
				}
				ProvisioningRunner.this.transaction.executeWithoutResult((status) -> {
					requireOwnRun(run, ProvisioningRunner.this.requests.findById(id).orElseThrow());
					startStep(id, resource);
				});
			}

			@Override
			public void stepFinished(AppliedChange change) {
				recordStep(request, change);
			}

		});
		// verified (from what the run read and wrote) before it is reported ACTIVE, so
		// whoever sees ACTIVE also sees the checks
		Verification verification = result.verification();
		String summary = switch (request.getKind()) {
			case DEPROVISION -> "User removed";
			case MODIFY -> "User changed";
			case REPAIR -> "User repaired";
			case EXPIRE -> "Access expired: SSH keys removed";
			case SUSPEND -> "Review overdue: SSH keys removed";
			case RETIRE_KEYS -> "Replaced SSH keys removed";
			default -> "User provisioned";
		};
		finish(run, (r) -> r.complete(summary, this.clock.instant()), summary, verification);
	}

	/**
	 * One row per resource of a request, however many runs it took: a row an earlier run
	 * left running (its instance died) or failed is this run's now. A row an earlier run
	 * finished stays as it is until this run finishes the resource, so that a resumed run
	 * which finds the role there does not hide that this request created it.
	 */
	private void startStep(long id, ResourceKind resource) {
		Instant now = this.clock.instant();
		RequestStep step = step(id, resource);
		if (step == null) {
			this.steps.save(new RequestStep(id, resource, now));
		}
		else if (step.getStatus() != RequestStep.StepStatus.DONE) {
			step.restart(now);
		}
	}

	private @Nullable RequestStep step(long id, ResourceKind resource) {
		List<RequestStep> rows = this.steps.findByRequestIdOrderById(id)
			.stream()
			.filter((step) -> step.getResource() == resource)
			.toList();
		return rows.isEmpty() ? null : rows.get(rows.size() - 1);
	}

	private void recordStep(AccessRequest request, AppliedChange change) {
		this.transaction.executeWithoutResult((status) -> {
			Instant now = this.clock.instant();
			RequestStep step = step(request.getId(), change.resource());
			if (step == null) {
				step = this.steps.save(new RequestStep(request.getId(), change.resource(), now));
			}
			// a resource an earlier run wrote and this one found done keeps what was
			// written
			if (step.getStatus() != RequestStep.StepStatus.DONE || change.wrote()) {
				step.finish(change.outcome().name(), change.detail(), now);
			}
			// the audit trail listens in this transaction: the step and its audit record
			// commit together
			this.events.publishEvent(new AwsChangeApplied(request.getId(), request.getServerId(), request.getUserName(),
					request.getTicketRef(), change, now));
		});
		logger.info("Request {}: {} {} {} ({})", request.getId(), change.resource(), change.resourceArn(),
				change.outcome(), change.detail());
	}

	private void finish(Run run, Consumer<AccessRequest> transition, String summary) {
		finish(run, transition, summary, null);
	}

	private void finish(Run run, Consumer<AccessRequest> transition, String summary,
			@Nullable Verification verification) {
		long id = run.requestId();
		RequestStatus ended = this.transaction.execute((status) -> {
			AccessRequest request = this.requests.findById(id).orElseThrow();
			requireOwnRun(run, request);
			transition.accept(request);
			Instant now = this.clock.instant();
			boolean completed = request.getStatus() == RequestStatus.ACTIVE
					|| request.getStatus() == RequestStatus.DELETED;
			// a row still running was begun by a run that stopped (its instance died):
			// a completed request found its resource as required (the row's step was
			// done or not needed any more); otherwise it stopped with the request
			this.steps.findByRequestIdOrderById(id)
				.stream()
				.filter((step) -> step.getStatus() == RequestStep.StepStatus.RUNNING)
				.forEach((step) -> {
					if (completed) {
						step.finish(AppliedChange.Outcome.UNCHANGED.name(), FOUND_AS_REQUIRED, now);
					}
					else {
						step.fail(summary, now);
					}
				});
			if (completed) {
				this.register.recordCompleted(request);
			}
			if (verification != null) {
				this.register.store(verification, ACTOR); // joins this transaction
			}
			// publishes the status change the transition registered
			this.requests.save(request);
			return request.getStatus();
		});
		// the run's last line: a failure once, as a warning
		if (ended == RequestStatus.FAILED) {
			logger.warn("Request {}: {}", id, summary);
		}
		else {
			logger.info("Request {}: {}", id, summary);
		}
	}

	private static void requireOwnRun(Run run, AccessRequest request) {
		if (!request.isRunBy(run.execution(), run.pick())) {
			throw new RunTakenOverException("request " + run.requestId() + " is run by another pick now");
		}
	}

	private static String safeMessage(RuntimeException ex) {
		// portal exceptions carry safe, specific messages; anything else is said without
		// its class or message, which may name the portal's internals
		if (ex instanceof ProvisioningException || ex instanceof PlanNotApplicableException
				|| ex instanceof InvalidUserSpecException) {
			return ex.getMessage();
		}
		return "Unexpected error in the portal; a retry runs the approved plan again";
	}

	/**
	 * One pick of a scheduled execution of a request.
	 *
	 * @param requestId the request
	 * @param execution the scheduled execution (one per approval or retry)
	 * @param pick which pick of that execution this is (a revived execution is picked
	 * again)
	 * @param heartbeatLost whether the scheduler failed to renew this pick's heartbeat
	 */
	record Run(long requestId, String execution, long pick, BooleanSupplier heartbeatLost) {
	}

	/**
	 * This run's heartbeat failed or another pick took the request over; the run stops
	 * without writing.
	 */
	static class RunTakenOverException extends RuntimeException {

		RunTakenOverException(String message) {
			super(message);
		}

	}

}
