package io.transferportal.requests;

import java.time.Instant;

/**
 * The instants the database compares with to find users in a {@link LifecycleState}, the
 * same rules as {@link ManagedUserView.Lifecycle} applies to one user. A setting that is
 * off gives {@link Instant#EPOCH}: no key was imported and no access granted before it,
 * so nobody is due.
 *
 * @param expiringBy access ending at or before this is expiring (now plus the warning)
 * @param keysImportedBefore a key imported before this is due for rotation (now minus the
 * maximum key age)
 * @param reviewedBefore access granted and last reviewed before this is overdue for
 * review (now minus the review interval)
 */
record LifecycleCutoffs(Instant expiringBy, Instant keysImportedBefore, Instant reviewedBefore) {

	static LifecycleCutoffs of(LifecycleProperties settings, Instant now) {
		return new LifecycleCutoffs(now.plus(settings.expiryWarning()),
				(settings.maxSshKeyAge() != null) ? now.minus(settings.maxSshKeyAge()) : Instant.EPOCH,
				(settings.reviewInterval() != null) ? ReviewPolicy.overdueIfLastBefore(now, settings.reviewInterval())
						: Instant.EPOCH);
	}

}
