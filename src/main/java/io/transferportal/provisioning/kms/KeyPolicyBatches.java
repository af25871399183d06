package io.transferportal.provisioning.kms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ProvisioningLocks;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsRequestIds;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.LockedStep;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.policy.Policies;

/**
 * Coalesces the key-policy writes of concurrent runs: the roles of every run waiting on
 * one key go into one PutKeyPolicy.
 * <p>
 * A run that must change a key's policy registers its step in the key's queue (in this
 * JVM) and waits for the key's in-memory lock, then for its database lock (so instances
 * are still serialized). Whoever gets both takes every waiting step, reads the key and
 * its policy once, decides each step in turn on the policy as the steps before it left it
 * (each still checked against its own run's approved plan), writes once, reads back, and
 * hands every step its outcome: the policy read before and the one read back. A run whose
 * step another run served finds its outcome when it gets the lock and leaves at once.
 * <p>
 * A step that fails does not fail the others: if the combined write fails, the steps are
 * written one by one on a fresh read, and each gets its own result. KMS refusing a
 * just-created role as an invalid principal (IAM has not propagated it yet) sends only
 * that step back to wait, in its own thread and outside every lock, with exponential
 * backoff; it then queues again and is decided anew on what is stored by then.
 */
final class KeyPolicyBatches {

	private static final Logger logger = LoggerFactory.getLogger(KeyPolicyBatches.class);

	private static final ResourceKind KIND = ResourceKind.KEY_POLICY;

	private final KeyPolicy keyPolicy;

	private final ProvisioningProperties.Propagation propagation;

	private final Duration linger;

	private final Sleeper sleeper;

	private final ConcurrentMap<String, Queue> queues = new ConcurrentHashMap<>();

	KeyPolicyBatches(KeyPolicy keyPolicy, ProvisioningProperties.Propagation propagation, Duration linger,
			Sleeper sleeper) {
		this.keyPolicy = keyPolicy;
		this.propagation = propagation;
		this.linger = linger;
		this.sleeper = sleeper;
	}

	List<AppliedChange> apply(LockedStep step, ProvisioningLocks locks) {
		Queue queue = this.queues.computeIfAbsent(step.lock(), (name) -> new Queue());
		Waiter me = new Waiter(step);
		queue.add(me);
		try {
			while (true) {
				Duration backoff = queue.takeBackoff(me);
				if (backoff != null) {
					// outside every lock: other runs of the key go on meanwhile
					sleep(me, backoff);
					queue.ready(me);
					continue;
				}
				queue.local.lock();
				try {
					if (queue.isDone(me)) {
						break;
					}
					if (queue.isReady(me)) {
						linger(me);
					}
					if (queue.isReady(me)) {
						locks.withLock(step.lock(), () -> {
							drain(queue);
							return null;
						});
					}
				}
				finally {
					queue.local.unlock();
				}
			}
		}
		finally {
			queue.remove(me);
		}
		return me.outcome();
	}

	/** How many runs are queued for the lock. */
	int queued(String lock) {
		Queue queue = this.queues.get(lock);
		return (queue != null) ? queue.size() : 0;
	}

	/**
	 * Runs approved together reach the key a few moments apart (each has created its role
	 * first): a short wait before the database lock, holding only this instance's
	 * in-memory lock for the key, lets them queue, so one write serves them all. The
	 * write itself costs three KMS calls or more, so the wait costs little.
	 */
	private void linger(Waiter me) {
		if (this.linger.isZero() || this.linger.isNegative()) {
			return;
		}
		try {
			this.sleeper.sleep(this.linger);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			me.fail(new ProvisioningException(KIND, "Interrupted while waiting to write the key policy of "
					+ me.target().keyArn() + "; nothing written to it"));
		}
	}

	private void sleep(Waiter waiter, Duration backoff) {
		try {
			this.sleeper.sleep(backoff);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			waiter.fail(new ProvisioningException(KIND, "Interrupted while waiting for IAM to show role "
					+ waiter.target().roleName() + " to KMS; nothing written to the key policy"));
		}
	}

	/** Under the key's locks: serves every step that is ready. */
	private void drain(Queue queue) {
		List<Waiter> batch = queue.takeReady();
		if (batch.isEmpty()) {
			return;
		}
		Target any = batch.get(0).target();
		LiveKey live;
		try {
			// whatever the key's state: a removal goes ahead on a disabled key, and a
			// provisioning step is refused below with the reason
			live = this.keyPolicy.readForRemoval(any);
		}
		catch (RuntimeException ex) {
			batch.forEach((waiter) -> waiter.fail(ex));
			return;
		}
		List<Pending> writes = new ArrayList<>();
		IamPolicy policy = live.policy();
		for (Waiter waiter : batch) {
			Pending pending = decided(waiter, live, policy);
			if (pending != null) {
				writes.add(pending);
				policy = pending.work().policy();
			}
		}
		if (writes.isEmpty()) {
			return;
		}
		if (writes.size() == 1) {
			writeAlone(writes.get(0), live.policy());
			return;
		}
		IamPolicy combined = policy;
		try {
			List<String> requestIds = AwsRequestIds.during(() -> this.keyPolicy.putOnce(any, combined));
			IamPolicy stored = this.keyPolicy.readBack(any, writes.stream().map(Pending::work).toList());
			writes.forEach((pending) -> pending.waiter()
				.complete(outcomes(pending.decision(), live.policy(), stored, requestIds)));
			logger.debug("One PutKeyPolicy on {} for {} runs", any.keyArn(), writes.size());
		}
		catch (RuntimeException ex) {
			logger.info("Combined PutKeyPolicy on {} for {} runs failed ({}); writing them one by one", any.keyArn(),
					writes.size(), ex.getMessage());
			oneByOne(writes.stream().map(Pending::waiter).toList(), any);
		}
	}

	/**
	 * Decides the step on the policy as the steps before it in the batch left it; a step
	 * with nothing to write gets its outcome now, a refused one its failure.
	 */
	private @Nullable Pending decided(Waiter waiter, LiveKey live, IamPolicy policy) {
		try {
			Decision<PolicyWrite> decision = decisionFor(waiter, new LiveKey(live.metadata(), policy));
			waiter.step().requireWithin().accept(decision);
			if (decision.writes() && decision.work() != null) {
				return new Pending(waiter, decision, decision.work());
			}
			waiter.complete(outcomes(decision, live.policy(), null, List.of()));
		}
		catch (RuntimeException ex) {
			waiter.fail(ex);
		}
		return null;
	}

	/** As the engine decides again under the lock: a removal as unshared. */
	private Decision<PolicyWrite> decisionFor(Waiter waiter, LiveKey live) {
		Target target = waiter.target();
		if (waiter.step().approved().kind() == Plan.Kind.REMOVE) {
			return this.keyPolicy.decideRemoval(target, live, Sharing.NONE);
		}
		KeyRules.unusable(live.metadata()).ifPresent((reason) -> {
			throw new ProvisioningException(KIND, reason);
		});
		return this.keyPolicy.decide(target, live);
	}

	/** After a combined write failed: each step on its own, on a fresh read. */
	private void oneByOne(List<Waiter> waiters, Target any) {
		LiveKey live;
		try {
			live = this.keyPolicy.readForRemoval(any);
		}
		catch (RuntimeException ex) {
			waiters.forEach((waiter) -> waiter.fail(ex));
			return;
		}
		IamPolicy stored = live.policy();
		for (Waiter waiter : waiters) {
			Pending pending = decided(waiter, live, stored);
			if (pending != null) {
				IamPolicy after = writeAlone(pending, stored);
				if (after != null) {
					stored = after;
				}
			}
		}
	}

	/**
	 * One step's write; answers the policy read back, {@code null} if the step failed or
	 * was sent back to wait for IAM.
	 */
	private @Nullable IamPolicy writeAlone(Pending pending, IamPolicy before) {
		Waiter waiter = pending.waiter();
		Target target = waiter.target();
		try {
			List<String> requestIds = AwsRequestIds
				.during(() -> this.keyPolicy.putOnce(target, pending.work().policy()));
			IamPolicy stored = this.keyPolicy.readBack(target, List.of(pending.work()));
			waiter.complete(outcomes(pending.decision(), before, stored, requestIds));
			return stored;
		}
		catch (ProvisioningException ex) {
			if (KeyPolicy.isInvalidPrincipal(ex.getCause()) && waiter.attempts() < this.propagation.maxRetries()) {
				Duration backoff = backoff(waiter.attempts());
				logger.info("KMS does not see {} yet (IAM propagation); trying again in {} outside the lock",
						pending.work().about(), backoff);
				waiter.backOff(backoff);
			}
			else {
				waiter.fail(ex);
			}
		}
		catch (RuntimeException ex) {
			waiter.fail(ex);
		}
		return null;
	}

	/** Exponential: delay, 2 delay, 4 delay ... up to the longest delay. */
	Duration backoff(int attempt) {
		Duration delay = this.propagation.delay();
		for (int i = 0; i < attempt && delay.compareTo(this.propagation.maxDelay()) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.propagation.maxDelay()) > 0) ? this.propagation.maxDelay() : delay;
	}

	/**
	 * The step's outcome, as the engine reports one: the policy read before the write and
	 * the one read back after it.
	 */
	private static List<AppliedChange> outcomes(Decision<PolicyWrite> decision, IamPolicy before,
			@Nullable IamPolicy stored, List<String> requestIds) {
		return decision.changes().stream().map((change) -> outcome(change, before, stored, requestIds)).toList();
	}

	private static AppliedChange outcome(PlannedChange change, IamPolicy before, @Nullable IamPolicy stored,
			List<String> requestIds) {
		if (stored == null || change.action() == ChangeAction.NONE) {
			return new AppliedChange(change.resource(), change.resourceArn(), Outcome.UNCHANGED, change.before(),
					change.before(), "Already as required: " + change.summary());
		}
		return new AppliedChange(change.resource(), change.resourceArn(), Outcome.UPDATED, Policies.prettyAsIs(before),
				Policies.prettyAsIs(stored), "Done: " + change.summary(), requestIds);
	}

	/** Waits between attempts; tests answer at once. */
	@FunctionalInterface
	interface Sleeper {

		Sleeper THREAD = (duration) -> Thread.sleep(duration.toMillis());

		void sleep(Duration duration) throws InterruptedException;

	}

	private record Pending(Waiter waiter, Decision<PolicyWrite> decision, PolicyWrite work) {
	}

	/** The steps waiting on one key, and the key's in-memory lock. */
	private static final class Queue {

		/**
		 * The runs of this instance wait here, not at the database: one thread at a time
		 * asks for the database lock.
		 */
		final ReentrantLock local = new ReentrantLock();

		private final List<Waiter> waiters = new ArrayList<>();

		synchronized void add(Waiter waiter) {
			this.waiters.add(waiter);
		}

		synchronized void remove(Waiter waiter) {
			this.waiters.remove(waiter);
		}

		synchronized int size() {
			return this.waiters.size();
		}

		/** Marks every ready step as taken and answers them, in arrival order. */
		synchronized List<Waiter> takeReady() {
			List<Waiter> ready = this.waiters.stream().filter((waiter) -> waiter.state == State.READY).toList();
			ready.forEach((waiter) -> waiter.state = State.TAKEN);
			return ready;
		}

		synchronized @Nullable Duration takeBackoff(Waiter waiter) {
			if (waiter.state != State.BACKING_OFF) {
				return null;
			}
			waiter.state = State.SLEEPING;
			return waiter.backoff;
		}

		synchronized void ready(Waiter waiter) {
			if (waiter.state == State.SLEEPING) {
				waiter.state = State.READY;
			}
		}

		synchronized boolean isDone(Waiter waiter) {
			return waiter.state == State.DONE;
		}

		synchronized boolean isReady(Waiter waiter) {
			return waiter.state == State.READY;
		}

	}

	private enum State {

		/** Waiting to be served. */
		READY,

		/** Being served by the holder of the key's locks. */
		TAKEN,

		/** Sent back to wait for IAM; its thread has not started waiting yet. */
		BACKING_OFF,

		/** Its thread waits for IAM, outside every lock. */
		SLEEPING,

		/** Served: an outcome or a failure. */
		DONE

	}

	/**
	 * One run's step. Never do two threads change its state at once: only the thread
	 * serving it moves it on from TAKEN, only its own thread from BACKING_OFF and
	 * SLEEPING; the fields are volatile so that each sees what the other left.
	 */
	private static final class Waiter {

		private final LockedStep step;

		private volatile State state = State.READY;

		private volatile int attempts;

		private volatile @Nullable Duration backoff;

		private volatile @Nullable List<AppliedChange> outcome;

		private volatile @Nullable RuntimeException failure;

		Waiter(LockedStep step) {
			this.step = step;
		}

		LockedStep step() {
			return this.step;
		}

		Target target() {
			return this.step.target();
		}

		int attempts() {
			return this.attempts;
		}

		void complete(List<AppliedChange> outcome) {
			this.outcome = outcome;
			this.state = State.DONE;
		}

		void fail(RuntimeException failure) {
			this.failure = failure;
			this.state = State.DONE;
		}

		void backOff(Duration backoff) {
			this.attempts = this.attempts + 1;
			this.backoff = backoff;
			this.state = State.BACKING_OFF;
		}

		List<AppliedChange> outcome() {
			RuntimeException failed = this.failure;
			if (failed != null) {
				throw failed;
			}
			List<AppliedChange> done = this.outcome;
			if (done == null) {
				throw new IllegalStateException("Key-policy step ended without an outcome");
			}
			return done;
		}

	}

}
