package io.transferportal.requests;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.Verification;
import io.transferportal.requests.RequestEvents.LifecycleEvent;
import io.transferportal.requests.RequestEvents.UserLifecycleChanged;
import io.transferportal.requests.RequestEvents.VerificationChanged;

/**
 * The register of managed Transfer users: updated when a request completes, and
 * re-verified on a schedule. A verification run reads each bucket's encryption and each
 * key's policy once, however many users share them.
 */
@Component
public class ManagedUserRegister {

	private final ManagedUserRepository users;

	private final AccessRequestRepository requests;

	private final ProvisioningEngine engine;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final LifecycleProperties lifecycle;

	private final Clock clock;

	ManagedUserRegister(ManagedUserRepository users, AccessRequestRepository requests, ProvisioningEngine engine,
			ApplicationEventPublisher events, PlatformTransactionManager transactions, LifecycleProperties lifecycle,
			Clock clock) {
		this.users = users;
		this.requests = requests;
		this.engine = engine;
		this.events = events;
		this.transaction = new TransactionTemplate(transactions);
		this.lifecycle = lifecycle;
		this.clock = clock;
	}

	/**
	 * Verifies one user now and stores the result; callers go through
	 * {@link AccessRequestManagement#verify}, which decides who may.
	 * @param actor who asked (the audit trail records the changes of checks as theirs)
	 */
	ManagedUserView verify(String serverId, String userName, String actor) {
		ManagedUser user = this.users.findByServerIdAndUserName(serverId, userName)
			.orElseThrow(() -> new RequestNotFoundException(
					"User " + userName + " on " + serverId + " is not managed by the portal"));
		if (user.getStatus() == ManagedUser.Status.ACTIVE) {
			store(this.engine.verify(user.effectiveSpec()), actor);
		}
		return this.transaction.execute(
				(status) -> ManagedUserView.of(this.users.findByServerIdAndUserName(serverId, userName).orElseThrow(),
						this.lifecycle, this.clock.instant()));
	}

	/**
	 * Verifies the chosen active users together (one batch: the shared reads once) and
	 * stores the results as {@code actor}'s.
	 */
	List<ManagedUserView> verify(List<UserKey> keys, String actor) {
		List<UserSpec> specs = this.transaction.execute((status) -> keys.stream()
			.distinct()
			.map((key) -> this.users.findByServerIdAndUserName(key.serverId(), key.userName()).orElse(null))
			.filter((user) -> user != null && user.getStatus() == ManagedUser.Status.ACTIVE)
			.map(ManagedUser::effectiveSpec)
			.toList());
		this.engine.verifyAll(specs).forEach((verification) -> store(verification, actor));
		return this.transaction.execute((status) -> specs.stream()
			.map((spec) -> ManagedUserView.of(
					this.users.findByServerIdAndUserName(spec.serverId(), spec.userName()).orElseThrow(),
					this.lifecycle, this.clock.instant()))
			.toList());
	}

	/**
	 * Re-verifies every active user: the verification sweep, every
	 * {@code portal.requests.verification-interval}, a recurring task of
	 * {@link ProvisioningScheduler} that one instance runs at a time (several instances
	 * do not each read every user).
	 * @return how many users were verified
	 */
	public int verifyAll() {
		List<UserSpec> specs = this.transaction
			.execute((status) -> this.users.findByStatusOrderByServerIdAscUserNameAsc(ManagedUser.Status.ACTIVE)
				.stream()
				// a suspended user is verified without its keys
				.map(ManagedUser::effectiveSpec)
				.toList());
		List<Verification> results = this.engine.verifyAll(specs);
		results.forEach((verification) -> store(verification, ProvisioningRunner.ACTOR));
		return results.size();
	}

	void recordCompleted(AccessRequest request) {
		Instant now = this.clock.instant();
		long id = request.getId();
		ManagedUser user = this.users.findByServerIdAndUserName(request.getServerId(), request.getUserName())
			.orElse(null);
		if (user == null) {
			if (request.getKind().grantsAccess()) {
				user = this.users.save(new ManagedUser(request.getSpec(), id, request.getRequestedBy(), now));
				user.expiresAt(request.getExpiresAt());
			}
			return;
		}
		switch (request.getKind()) {
			case PROVISION, ADOPT -> {
				user.provisioned(request.getSpec(), id, request.getRequestedBy(), now);
				user.expiresAt(request.getExpiresAt());
				user.retirementDone();
			}
			case MODIFY -> {
				user.provisioned(request.getSpec(), id, request.getRequestedBy(), now);
				if (request.getExpiresAt() != null) {
					user.expiresAt(request.getExpiresAt());
				}
				if (request.getRetireAfter() != null) {
					user.retireKeysAt(request.getRetireKeys(), now.plus(request.getRetireAfter()), id);
				}
				else if (request.getPreviousSpec() != null
						&& !request.getPreviousSpec().sshPublicKeys().equals(request.getSpec().sshPublicKeys())) {
					// a new list of keys without an overlap replaces a pending retirement
					user.retirementDone();
				}
			}
			case REPAIR -> user.applied(user.getSpec(), id, now);
			case RETIRE_KEYS -> {
				user.applied(request.getSpec(), id, now);
				user.retirementDone();
				lifecycleChanged(request, LifecycleEvent.SSH_KEYS_RETIRED,
						"The SSH keys a rotation replaced were removed after its overlap");
			}
			case EXPIRE -> {
				user.suspended(ManagedUser.Suspension.EXPIRED, id, now);
				lifecycleChanged(request, LifecycleEvent.USER_EXPIRED, "Access expired at " + user.getExpiresAt()
						+ ": the SSH keys were removed; role, policies and files are kept");
			}
			case SUSPEND -> {
				user.suspended(ManagedUser.Suspension.UNREVIEWED, id, now);
				lifecycleChanged(request, LifecycleEvent.USER_SUSPENDED,
						"The access review is overdue: the SSH keys were removed until an approver confirms it");
			}
			case REINSTATE -> user.reinstated(id, now);
			case DEPROVISION -> user.deleted(id, now);
		}
	}

	private void lifecycleChanged(AccessRequest request, LifecycleEvent event, String summary) {
		this.events.publishEvent(new UserLifecycleChanged(request.getServerId(), request.getUserName(), event,
				request.getId(), summary, this.clock.instant()));
	}

	/**
	 * What the other users need, for deciding what a removal may take away: every other
	 * active managed user, and every other user with an open provision, repair or change
	 * request (it may be applied while this removal runs).
	 */
	List<UserSpec> otherSpecs(String serverId, String userName) {
		return this.transaction.execute((status) -> {
			// the specs alone: a batch's submission compares every item with every
			// managed user, which as entities would load each one's checks too
			List<UserSpec> others = new ArrayList<>();
			this.users.findSpecsByStatus(ManagedUser.Status.ACTIVE).forEach((stored) -> others.add(stored.spec()));
			this.requests
				.findSpecsByKindInAndStatusIn(
						List.of(RequestKind.PROVISION, RequestKind.REPAIR, RequestKind.MODIFY, RequestKind.ADOPT),
						RequestStatus.OPEN)
				.forEach((stored) -> others.add(stored.spec()));
			others.removeIf((other) -> other.serverId().equals(serverId) && other.userName().equals(userName));
			return others;
		});
	}

	/**
	 * Stores a verification; each check that changed is told as a
	 * {@link VerificationChanged} of {@code actor}: the person who asked for it, or the
	 * portal for the sweep and the runs.
	 */
	void store(Verification verification, String actor) {
		this.transaction.executeWithoutResult((status) -> {
			UserSpec spec = verification.spec();
			ManagedUser user = this.users.findByServerIdAndUserName(spec.serverId(), spec.userName()).orElse(null);
			if (user == null || user.getStatus() != ManagedUser.Status.ACTIVE) {
				return;
			}
			Map<ResourceKind, @Nullable CheckStatus> changed = user.recordVerification(verification.checks(),
					verification.verifiedAt());
			if (verification.sshKeys() != null) {
				user.sshKeysSeen(verification.sshKeys().count(), verification.sshKeys().oldestImportedAt());
			}
			for (Check check : verification.checks()) {
				if (changed.containsKey(check.resource())) {
					this.events.publishEvent(new VerificationChanged(spec.serverId(), spec.userName(), check.resource(),
							changed.get(check.resource()), check.status(), check.detail(), verification.verifiedAt(),
							actor));
				}
			}
		});
	}

}
