package io.transferportal.requests;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

import io.transferportal.requests.ProvisioningRunner.Run;
import io.transferportal.requests.RequestEvents.ProvisioningRequested;
import io.transferportal.requests.RequestEvents.VerificationSweepRequested;

/**
 * The one durable mechanism for "approved -> run": every approval or retry inserts a
 * <a href="https://github.com/kagkarlsson/db-scheduler">db-scheduler</a> one-time
 * execution in the transaction that approves (the approval cannot lose its run), and the
 * {@link ProvisioningRunner} runs it.
 * <p>
 * Why db-scheduler, and not Spring Modulith's event publication registry (which stored
 * the {@code ProvisioningRequested} event before, beside a hand-written lease poller):
 * <ul>
 * <li>Of several instances exactly one runs an execution: it is picked by an UPDATE that
 * checks and increments its version, so the other instances' picks fail.</li>
 * <li>The picking instance renews a heartbeat on the execution while it runs (every
 * quarter of {@code portal.requests.lease}); an execution whose heartbeat is older than
 * {@code portal.requests.lease} is dead, and another instance revives and picks it again.
 * The runner checks its heartbeat before every step, so a run whose instance lost contact
 * stops before its next AWS write.</li>
 * <li>The registry of Modulith 2.0 has neither: an in-progress publication carries no
 * heartbeat, so a long run cannot be told from a dead one (its staleness settings mark
 * both failed after a fixed time), and resubmission claims a publication once but keeps
 * nothing alive while the listener runs, so the runner would still need its own lease SQL
 * and poller.</li>
 * </ul>
 * The library is wired here rather than through its Spring Boot starter: the starter
 * released with 16.7.1 for Boot 3 uses Boot 3 classes, and the wiring is this class. The
 * scheduler gets a {@link TransactionAwareDataSourceProxy}, so scheduling joins the
 * caller's transaction (and commits or rolls back with it), while polling and heartbeats
 * use connections of their own.
 */
@Component
class ProvisioningScheduler implements SmartLifecycle {

	static final String TASK = "provision-request";

	/** The recurring task of {@link UserLifecycle}: one instance runs it at a time. */
	static final String LIFECYCLE_TASK = "user-lifecycle";

	/** The verification sweep ({@link ManagedUserRegister#verifyAll}). */
	static final String SWEEP_TASK = "verification-sweep";

	/** Heartbeats per lease: an execution is dead after this many missed heartbeats. */
	private static final int HEARTBEATS_PER_LEASE = 4;

	private final OneTimeTask<Void> task;

	private final Supplier<Scheduler> schedulers;

	private final Clock clock;

	private volatile Scheduler scheduler;

	private volatile boolean running;

	private volatile boolean stopped;

	ProvisioningScheduler(DataSource dataSource, ProvisioningRunner runner, UserLifecycle lifecycle,
			ManagedUserRegister register, RequestsProperties properties, ProvisioningConcurrencyProperties concurrency,
			LifecycleProperties lifecycleProperties, Clock clock) {
		this.clock = clock;
		this.task = Tasks.oneTime(TASK)
			// an Error, or a run that stopped because its heartbeat failed, leaves the
			// request PROVISIONING: try again once a dead instance would have been found
			.onFailure(new FailureHandler.OnFailureRetryLater<>(properties.lease()))
			.execute((instance, context) -> runner.run(run(instance, context)));
		// expiries, retirements and overdue reviews: the recurring task is stored like
		// the
		// runs, so of several instances one runs it at a time, and a dead instance's turn
		// is revived like a run
		RecurringTask<Void> lifecycleTask = Tasks
			.recurring(LIFECYCLE_TASK, FixedDelay.of(lifecycleProperties.checkInterval()))
			.execute((instance, context) -> lifecycle.runDue());
		// the sweep likewise: one instance verifies everyone, not each instance (the
		// first one interval after the task is first stored, so a restart does not
		// verify everyone again)
		RecurringTask<Void> sweepTask = Tasks.recurring(SWEEP_TASK, FixedDelay.of(properties.verificationInterval()))
			.execute((instance, context) -> register.verifyAll());
		this.schedulers = () -> Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), this.task)
			.startTasks(lifecycleTask, sweepTask)
			// runs at once; the lifecycle task and the sweep take a thread too while they
			// run, and further due runs wait in the table until a thread is free
			.threads(concurrency.concurrency())
			.pollingInterval(properties.resumeInterval())
			.heartbeatInterval(properties.lease().dividedBy(HEARTBEATS_PER_LEASE))
			.missedHeartbeatsLimit(HEARTBEATS_PER_LEASE)
			.schedulerName(new SchedulerName.Fixed(ManagementFactory.getRuntimeMXBean().getName() + "/"
					+ UUID.randomUUID().toString().substring(0, 8)))
			.clock(clock::instant)
			// every timestamp column is "with time zone"; UTC also on H2, which the
			// library does not know
			.alwaysPersistTimestampInUTC()
			.shutdownMaxWait(Duration.ofSeconds(30))
			// a failed run is logged by the runner; the library adds one line, no stack
			// trace
			.failureLogging(LogLevel.WARN, false)
			.build();
		this.scheduler = this.schedulers.get();
	}

	/**
	 * Schedules the run in the transaction that approved the request (or asked for a
	 * retry), and looks for it as soon as that transaction commits.
	 */
	@EventListener
	void on(ProvisioningRequested event) {
		Assert.state(TransactionSynchronizationManager.isActualTransactionActive(),
				"A run is scheduled in the transaction that approves it");
		String execution = event.requestId() + "/" + UUID.randomUUID().toString().substring(0, 8);
		this.scheduler.schedule(this.task.instance(execution), this.clock.instant());
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				checkForDueRuns();
			}
		});
	}

	/**
	 * Removes the request's scheduled runs, in the caller's transaction, unless one of
	 * them is picked: an instance runs it now, or it died and another instance revives
	 * the run within {@code portal.requests.lease}.
	 * @return whether none was picked (and all were removed)
	 */
	boolean cancelRuns(long requestId) {
		String prefix = requestId + "/";
		// picked ones included: the library's shorter form of this call leaves them out
		List<ScheduledExecution<Void>> runs = this.scheduler
			.getScheduledExecutionsForTask(TASK, Void.class, ScheduledExecutionsFilter.all())
			.stream()
			.filter((run) -> run.getTaskInstance().getId().startsWith(prefix))
			.toList();
		if (runs.stream().anyMatch(ScheduledExecution::isPicked)) {
			return false;
		}
		try {
			runs.forEach((run) -> this.scheduler.cancel(run.getTaskInstance()));
			return true;
		}
		catch (TaskInstanceCurrentlyExecutingException ex) {
			// picked after it was listed
			return false;
		}
	}

	/**
	 * Moves the sweep's next turn to now, in the transaction that records who asked, and
	 * looks for it once that commits. The sweep stays one stored task, so of several
	 * instances still only one runs it; a sweep already running is not started twice (it
	 * reads everyone anyway).
	 */
	@EventListener
	void on(VerificationSweepRequested event) {
		try {
			this.scheduler.reschedule(TaskInstanceId.of(SWEEP_TASK, RecurringTask.INSTANCE), this.clock.instant());
		}
		catch (TaskInstanceCurrentlyExecutingException ex) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				checkForDueRuns();
			}
		});
	}

	/**
	 * Looks for due executions now instead of at the next poll (any instance may pick
	 * them).
	 */
	void checkForDueRuns() {
		this.scheduler.triggerCheckForDueExecutions();
	}

	@Override
	public void start() {
		if (this.stopped) {
			// a stopped db-scheduler cannot start again (its executors are shut down): a
			// context that is stopped and started again, as the test framework does with
			// cached contexts it pauses, gets a new one
			this.scheduler = this.schedulers.get();
			this.stopped = false;
		}
		this.scheduler.start();
		this.running = true;
	}

	@Override
	public void stop() {
		// waits for running executions; one that does not end in time is revived by
		// another instance once its heartbeat is older than the lease
		this.scheduler.stop();
		this.running = false;
		this.stopped = true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static Run run(TaskInstance<Void> instance, ExecutionContext context) {
		String execution = instance.getId();
		long requestId = Long.parseLong(execution.substring(0, execution.indexOf('/')));
		return new Run(requestId, execution, context.getExecution().version,
				() -> context.getCurrentlyExecuting().getHeartbeatState().hasStaleHeartbeat());
	}

}
