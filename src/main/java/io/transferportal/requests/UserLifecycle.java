package io.transferportal.requests;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.RequestEvents.LifecycleEvent;
import io.transferportal.requests.RequestEvents.ProvisioningRequested;
import io.transferportal.requests.RequestEvents.UserLifecycleChanged;

/**
 * What comes due in a managed user's life without anybody asking: the warning before its
 * access expires, the removal of its SSH keys at expiry, the retirement of the keys a
 * rotation replaced, and (with {@code portal.lifecycle.suspend-unreviewed}) the removal
 * of the keys of a user whose review is overdue.
 * <p>
 * Each removal is a request the portal makes itself ({@link AccessRequest#covered}),
 * approved by what covers it (the approval that granted the access, the rotation's
 * approval, the configured review rule), and run by the same durable runner as every
 * other request: planned, audited step by step, resumed after a crash, verified. The job
 * runs as one db-scheduler recurring task, so of several instances one runs it at a time
 * (see {@link ProvisioningScheduler}); it is driven by the stored state, not by timers,
 * so a restart or an instance that was down finds what came due meanwhile. Each user is
 * handled in a transaction of its own under the user's submission lock, and re-checked
 * there, so a removal is made once.
 */
@Component
public class UserLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(UserLifecycle.class);

	/** The request states in which a run is about to write, or writing. */
	private static final List<RequestStatus> RUNNING = List.of(RequestStatus.APPROVED, RequestStatus.PROVISIONING);

	private final ManagedUserRepository users;

	private final AccessRequestRepository requests;

	private final SubmissionLock submissionLock;

	private final ProvisioningEngine engine;

	private final ApplicationEventPublisher events;

	private final LifecycleProperties settings;

	private final TransactionTemplate transaction;

	private final Clock clock;

	UserLifecycle(ManagedUserRepository users, AccessRequestRepository requests, SubmissionLock submissionLock,
			ProvisioningEngine engine, ApplicationEventPublisher events, LifecycleProperties settings,
			PlatformTransactionManager transactions, Clock clock) {
		this.users = users;
		this.requests = requests;
		this.submissionLock = submissionLock;
		this.engine = engine;
		this.events = events;
		this.settings = settings;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	/**
	 * Handles everything due now: the recurring task calls it, and so may anyone who
	 * wants it done at once (tests with a moved clock); two calls at once do each thing
	 * once.
	 * @return how many users something was done for
	 */
	public int runDue() {
		Instant now = this.clock.instant();
		LifecycleCutoffs cutoffs = LifecycleCutoffs.of(this.settings, now);
		int done = 0;
		for (long id : ids(this.users.findExpiryWarningsDue(cutoffs.expiringBy()))) {
			done += inTransaction(id, this::warnOfExpiry);
		}
		for (long id : ids(this.users.findExpired(now))) {
			done += inTransaction(id, this::expire);
		}
		for (long id : ids(this.users.findRetirementsDue(now))) {
			done += inTransaction(id, this::retireKeys);
		}
		if (this.settings.suspendUnreviewed()) {
			for (long id : ids(reviewOverdue(now))) {
				done += inTransaction(id, this::suspendUnreviewed);
			}
		}
		return done;
	}

	/**
	 * Active users, not suspended, whose review is overdue at {@code now}, the longest
	 * unreviewed first; none when reviews are off. The same rule as
	 * {@link ManagedUserView.Lifecycle#reviewDueAt}; each is asked again under its lock
	 * before it is suspended.
	 */
	List<ManagedUser> reviewOverdue(Instant now) {
		if (this.settings.reviewInterval() == null) {
			return List.of();
		}
		return this.users.findUnsuspendedReviewedBefore(ManagedUser.Status.ACTIVE,
				LifecycleCutoffs.of(this.settings, now).reviewedBefore());
	}

	private boolean warnOfExpiry(ManagedUser user) {
		Instant now = this.clock.instant();
		Instant expiresAt = user.getExpiresAt();
		if (expiresAt == null || user.getExpiryWarnedAt() != null || user.getSuspension() != null
				|| now.plus(this.settings.expiryWarning()).isBefore(expiresAt)) {
			return false;
		}
		user.expiryWarned(now);
		this.events.publishEvent(new UserLifecycleChanged(user.getServerId(), user.getUserName(),
				LifecycleEvent.USER_EXPIRING, null, "Access of " + user.getUserName() + " on " + user.getServerId()
						+ " expires at " + expiresAt + "; a change with a later expiry extends it",
				now));
		return true;
	}

	private boolean expire(ManagedUser user) {
		Instant now = this.clock.instant();
		if (user.getExpiresAt() == null || user.getExpiresAt().isAfter(now) || user.getSuspension() != null) {
			return false;
		}
		// the approval that granted the access granted it until expiresAt: removing the
		// keys then needs no second approval
		return removeKeys(user, RequestKind.EXPIRE, user.effectiveSpec().sshPublicKeys(),
				"the approval of request " + user.getGrantRequestId() + " (access until " + user.getExpiresAt() + ")");
	}

	private boolean suspendUnreviewed(ManagedUser user) {
		Instant dueAt = ManagedUserView.Lifecycle.reviewDueAt(user, this.settings);
		if (dueAt == null || dueAt.isAfter(this.clock.instant()) || user.getSuspension() != null) {
			return false;
		}
		return removeKeys(user, RequestKind.SUSPEND, user.getSpec().sshPublicKeys(),
				"portal.lifecycle.suspend-unreviewed (its review was due at " + dueAt + ")");
	}

	private boolean retireKeys(ManagedUser user) {
		Instant now = this.clock.instant();
		if (user.getRetireAt() == null || user.getRetireAt().isAfter(now)) {
			return false;
		}
		List<String> retired = user.getRetireKeys();
		if (user.getSuspension() != null) {
			// the keys are not on the user while it is suspended: only the approved
			// settings lose them, so that an extension does not bring them back
			user.applied(LifecycleRules.withoutKeys(user.getSpec(), retired), user.getLastRequestId(), now);
			user.retirementDone();
			this.events.publishEvent(new UserLifecycleChanged(user.getServerId(), user.getUserName(),
					LifecycleEvent.SSH_KEYS_RETIRED, user.getRetireRequestId(),
					retired.size() + " SSH key(s) retired from the approved settings of the suspended user", now));
			return true;
		}
		return removeKeys(user, RequestKind.RETIRE_KEYS, retired, "the approval of request " + user.getRetireRequestId()
				+ " (a rotation retiring " + retired.size() + " key(s) at " + user.getRetireAt() + ")");
	}

	/**
	 * Stores a covered request removing {@code keys} and schedules its run, unless a run
	 * for the user is about to write or writing (then the next round tries again).
	 */
	private boolean removeKeys(ManagedUser user, RequestKind kind, List<String> keys, String coveredBy) {
		String serverId = user.getServerId();
		String userName = user.getUserName();
		if (this.requests.existsByServerIdAndUserNameAndStatusIn(serverId, userName, RUNNING) || this.requests
			.existsByServerIdAndUserNameAndKindAndStatusIn(serverId, userName, kind, RequestStatus.OPEN)) {
			return false;
		}
		Plan plan = this.engine
			.replan((kind == RequestKind.RETIRE_KEYS) ? LifecycleRules.withoutKeys(user.getSpec(), keys)
					: LifecycleRules.withKeys(user.getSpec(), List.of()));
		if (!plan.isApplicable()) {
			throw new PlanNotApplicableException(plan);
		}
		AccessRequest request = this.requests
			.save(AccessRequest.covered(kind, plan, ProvisioningRunner.ACTOR, null, coveredBy, this.clock.instant()));
		this.events.publishEvent(new ProvisioningRequested(request.getId()));
		return true;
	}

	/**
	 * Handles one user in a transaction of its own under its submission lock; a user that
	 * cannot be planned (its server is gone, say) is logged and tried again next round,
	 * and does not stop the others.
	 */
	private int inTransaction(long id, Function<ManagedUser, Boolean> action) {
		try {
			Boolean done = this.transaction.execute((status) -> {
				ManagedUser user = this.users.findById(id).orElse(null);
				if (user == null || user.getStatus() != ManagedUser.Status.ACTIVE) {
					return false;
				}
				this.submissionLock.lock(user.getServerId(), user.getUserName());
				// read again under the lock: another instance's round or a request may
				// have changed it
				ManagedUser locked = this.users.findById(id).orElseThrow();
				return action.apply(locked);
			});
			return Boolean.TRUE.equals(done) ? 1 : 0;
		}
		catch (ProvisioningException | InvalidUserSpecException | PlanNotApplicableException ex) {
			logger.warn("Lifecycle of managed user {} postponed: {}", id, ex.getMessage());
			return 0;
		}
	}

	private static List<Long> ids(List<ManagedUser> users) {
		return users.stream().map(ManagedUser::getId).toList();
	}

}
