package io.transferportal.requests;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ProvisioningListener;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.Verification;
import io.transferportal.requests.RequestEvents.AwsChangeApplied;
import io.transferportal.requests.RequestEvents.ProvisioningRequested;

/**
 * Applies approved requests, at most once at a time per request across all instances: a
 * run starts by taking a lease on the request row (one UPDATE), renews it after every
 * step, and a run whose instance died is resumed by any instance once the lease has
 * expired. Steps are idempotent, so a resumed run repeats no AWS change.
 * <p>
 * Before the first AWS write the engine re-plans; if the live state changed since
 * approval the request goes back to NEEDS_REAPPROVAL with the new plan and nothing is
 * applied.
 */
@Component
class ProvisioningRunner {

	private static final Logger logger = LoggerFactory.getLogger(ProvisioningRunner.class);

	static final String ACTOR = "portal";

	private final AccessRequestRepository requests;

	private final RequestStepRepository steps;

	private final ManagedUserRegister register;

	private final ProvisioningEngine engine;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final RequestsProperties properties;

	private final Clock clock;

	private final String owner;

	ProvisioningRunner(AccessRequestRepository requests, RequestStepRepository steps, ManagedUserRegister register,
			ProvisioningEngine engine, ApplicationEventPublisher events, PlatformTransactionManager transactions,
			RequestsProperties properties, Clock clock) {
		this.requests = requests;
		this.steps = steps;
		this.register = register;
		this.engine = engine;
		this.events = events;
		this.transaction = new TransactionTemplate(transactions);
		this.properties = properties;
		this.clock = clock;
		this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Runs after the approving transaction commits; the publication stays stored until
	 * this returns.
	 */
	@Async
	@TransactionalEventListener
	void on(ProvisioningRequested event) {
		run(event.requestId());
	}

	/**
	 * Picks up approved requests whose event was lost with an instance, and runs whose
	 * lease expired.
	 */
	@Scheduled(fixedDelayString = "${portal.requests.resume-interval:30s}",
			initialDelayString = "${portal.requests.resume-interval:30s}")
	void resumeStalled() {
		for (Long id : this.requests.findRunnable(this.clock.instant())) {
			run(id);
		}
	}

	/** Runs one request if no other runner holds it. */
	void run(long id) {
		AccessRequest request = claim(id);
		if (request == null) {
			return; // another runner has it, or it is not runnable
		}
		try {
			// re-planned before every run, also a resumed or retried one: what is applied
			// is today's plan, and only
			// if it writes nothing the approved plan did not contain
			Plan current = currentPlanWithinApproval(request);
			if (current != null) {
				apply(request, current);
			}
		}
		catch (LeaseLostException ex) {
			logger.warn("Request {}: another runner took over ({})", id, ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.warn("Request {} failed: {}", id, ex.getMessage());
			String summary = "Failed: " + safeMessage(ex);
			finish(id, (r) -> r.fail(safeMessage(ex), summary, this.clock.instant()), summary);
		}
	}

	private AccessRequest claim(long id) {
		return this.transaction.execute((status) -> {
			Instant now = this.clock.instant();
			if (this.requests.claim(id, this.owner, now.plus(this.properties.lease()), now) != 1) {
				return null;
			}
			AccessRequest request = this.requests.findById(id).orElseThrow();
			request.startProvisioning(this.owner, now.plus(this.properties.lease()), now);
			return this.requests.save(request); // publishes the status change, if any
		});
	}

	/**
	 * Re-plans. A plan that would write something the approved one did not needs a new
	 * approval; one that only finds some changes already done (by an earlier, interrupted
	 * run, or by a request on the same bucket) does not.
	 * @return the plan to apply, or {@code null} if the request went back for approval
	 */
	private @Nullable Plan currentPlanWithinApproval(AccessRequest request) {
		Plan current = (request.getKind() == RequestKind.DEPROVISION)
				? this.engine.planRemoval(request.getSpec(),
						this.register.otherSpecs(request.getServerId(), request.getUserName()))
				: this.engine.plan(request.getSpec());
		if (current.isWithin(request.getPlan())) { // an unchanged plan is trivially
													// within its approval
			return current;
		}
		String summary = "The live AWS state changed since approval; the new plan needs approval";
		finish(request.getId(), (r) -> r.needsReapproval(current, summary, this.clock.instant()), summary);
		return null;
	}

	private void apply(AccessRequest request, Plan plan) {
		long id = request.getId();
		this.engine.apply(plan, new ProvisioningListener() {

			@Override
			public void stepStarted(ResourceKind resource) {
				ProvisioningRunner.this.transaction.executeWithoutResult((status) -> {
					if (ProvisioningRunner.this.requests.renewLease(id, ProvisioningRunner.this.owner,
							ProvisioningRunner.this.clock.instant()
								.plus(ProvisioningRunner.this.properties.lease())) != 1) {
						// the lease expired and another runner claimed the request: stop
						// before the next write
						throw new LeaseLostException("lease of request " + id + " lost before " + resource);
					}
					ProvisioningRunner.this.steps
						.save(new RequestStep(id, resource, ProvisioningRunner.this.clock.instant()));
				});
			}

			@Override
			public void stepFinished(AppliedChange change) {
				recordStep(request, change);
			}

		});
		// verified before it is reported ACTIVE, so whoever sees ACTIVE also sees the
		// checks
		Verification verification = (request.getKind() == RequestKind.DEPROVISION) ? null
				: this.engine.verify(request.getSpec());
		String summary = (request.getKind() == RequestKind.DEPROVISION) ? "User removed" : "User provisioned";
		finish(id, (r) -> r.complete(summary, this.clock.instant()), summary, verification);
	}

	private void recordStep(AccessRequest request, AppliedChange change) {
		this.transaction.executeWithoutResult((status) -> {
			Instant now = this.clock.instant();
			List<RequestStep> running = this.steps.findByRequestIdOrderById(request.getId())
				.stream()
				.filter((step) -> step.getStatus() == RequestStep.StepStatus.RUNNING
						&& step.getResource() == change.resource())
				.toList();
			running.forEach((step) -> step.finish(change.outcome().name(), change.detail(), now));
			// the audit trail listens in this transaction: the step and its audit record
			// commit together
			this.events.publishEvent(new AwsChangeApplied(request.getId(), request.getServerId(), request.getUserName(),
					request.getTicketRef(), change, now));
		});
	}

	private void finish(long id, Consumer<AccessRequest> transition, String summary) {
		finish(id, transition, summary, null);
	}

	private void finish(long id, Consumer<AccessRequest> transition, String summary,
			@Nullable Verification verification) {
		this.transaction.executeWithoutResult((status) -> {
			AccessRequest request = this.requests.findById(id).orElseThrow();
			if (!request.isLeasedBy(this.owner)) {
				throw new LeaseLostException("request " + id + " is no longer leased by this runner");
			}
			transition.accept(request);
			Instant now = this.clock.instant();
			this.steps.findByRequestIdOrderById(id)
				.stream()
				.filter((step) -> step.getStatus() == RequestStep.StepStatus.RUNNING)
				.forEach((step) -> step.fail(summary, now));
			if (request.getStatus() == RequestStatus.ACTIVE || request.getStatus() == RequestStatus.DELETED) {
				this.register.recordCompleted(request);
			}
			if (verification != null) {
				this.register.store(verification); // joins this transaction
			}
			this.requests.save(request); // publishes the status change the transition
											// registered
		});
	}

	/**
	 * This runner's lease expired and another one took the request over; this run stops
	 * without writing.
	 */
	static class LeaseLostException extends RuntimeException {

		LeaseLostException(String message) {
			super(message);
		}

	}

	private static String safeMessage(RuntimeException ex) {
		// portal exceptions carry safe, specific messages; anything else is reported by
		// type only
		if (ex instanceof ProvisioningException || ex instanceof PlanNotApplicableException
				|| ex instanceof InvalidUserSpecException) {
			return ex.getMessage();
		}
		return "Unexpected error (" + ex.getClass().getSimpleName() + "); see the portal log";
	}

}
