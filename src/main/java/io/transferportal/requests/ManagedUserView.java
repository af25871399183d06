package io.transferportal.requests;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.Verification;

/**
 * A managed Transfer user and its last verification.
 *
 * @param serverId Transfer server
 * @param userName Transfer user
 * @param active false once deprovisioned
 * @param spec what was approved for it
 * @param checks last result per check, in display order (empty until verified)
 * @param health the worst of the checks
 * @param verifiedAt when it was last verified
 * @param lastRequestId the request that last changed it
 * @param lifecycle expiry, suspension, key rotation and review
 */
public record ManagedUserView(String serverId, String userName, boolean active, UserSpec spec, List<Check> checks,
		Health health, @Nullable Instant verifiedAt, @Nullable Long lastRequestId, Lifecycle lifecycle) {

	static ManagedUserView of(ManagedUser user, LifecycleProperties settings, Instant now) {
		List<Check> checks = Verification.CHECKED.stream()
			.filter((resource) -> user.getChecks().containsKey(resource))
			.map((resource) -> new Check(resource, user.getChecks().get(resource).getStatus(),
					user.getChecks().get(resource).getDetail()))
			.toList();
		return new ManagedUserView(user.getServerId(), user.getUserName(),
				user.getStatus() == ManagedUser.Status.ACTIVE, user.getSpec(), checks, user.getHealth(),
				user.getVerifiedAt(), user.getLastRequestId(), Lifecycle.of(user, settings, now));
	}

	/**
	 * Where a managed user is in its life.
	 *
	 * @param expiresAt when its access ends, {@code null} for never
	 * @param expiring whether that is within {@code portal.lifecycle.expiry-warning}
	 * @param suspension {@code EXPIRED} or {@code UNREVIEWED} once its SSH keys were
	 * removed, {@code null} while it may sign in
	 * @param suspendedAt when they were removed
	 * @param retireAt when a rotation removes the keys it replaced, {@code null} for none
	 * pending
	 * @param retiringKeys how many keys that removes
	 * @param sshKeyCount how many SSH keys Transfer held at the last verification
	 * ({@code null} before the first)
	 * @param rotationDue whether one of them is older than
	 * {@code portal.lifecycle.max-ssh-key-age}
	 * @param grantedBy who asked for the access it has now
	 * @param grantedAt when that access was granted
	 * @param reviewedBy who last confirmed it in an access review
	 * @param reviewedAt when
	 * @param reviewDueAt when the next review is due, {@code null} without periodic
	 * reviews
	 * @param reviewOverdue whether that time has passed
	 */
	public record Lifecycle(@Nullable Instant expiresAt, boolean expiring, @Nullable String suspension,
			@Nullable Instant suspendedAt, @Nullable Instant retireAt, int retiringKeys, @Nullable Integer sshKeyCount,
			boolean rotationDue, @Nullable String grantedBy, @Nullable Instant grantedAt, @Nullable String reviewedBy,
			@Nullable Instant reviewedAt, @Nullable Instant reviewDueAt, boolean reviewOverdue) {

		/** Nothing known: for users from before these settings, and for tests. */
		public static final Lifecycle NONE = new Lifecycle(null, false, null, null, null, 0, null, false, null, null,
				null, null, null, false);

		static Lifecycle of(ManagedUser user, LifecycleProperties settings, Instant now) {
			Instant expiresAt = user.getExpiresAt();
			boolean expiring = expiresAt != null && user.getSuspension() == null
					&& !now.isBefore(expiresAt.minus(settings.expiryWarning()));
			boolean rotationDue = settings.maxSshKeyAge() != null && user.getOldestKeyImportedAt() != null
					&& user.getOldestKeyImportedAt().plus(settings.maxSshKeyAge()).isBefore(now);
			Instant reviewDueAt = reviewDueAt(user, settings);
			return new Lifecycle(expiresAt, expiring,
					(user.getSuspension() != null) ? user.getSuspension().name() : null, user.getSuspendedAt(),
					user.getRetireAt(), user.getRetireKeys().size(), user.getSshKeyCount(), rotationDue,
					user.getGrantedBy(), user.getGrantedAt(), user.getReviewedBy(), user.getReviewedAt(), reviewDueAt,
					reviewDueAt != null && reviewDueAt.isBefore(now));
		}

		/**
		 * The last grant or confirmation plus the review interval; {@code null} without
		 * periodic reviews.
		 */
		static @Nullable Instant reviewDueAt(ManagedUser user, LifecycleProperties settings) {
			if (settings.reviewInterval() == null || user.getStatus() != ManagedUser.Status.ACTIVE) {
				return null;
			}
			// V8 set the grant of users from before reviews; one with neither is never
			// due
			Instant base = user.getGrantedAt();
			if (base == null || (user.getReviewedAt() != null && user.getReviewedAt().isAfter(base))) {
				base = user.getReviewedAt();
			}
			return (base != null) ? base.plus(settings.reviewInterval()) : null;
		}

	}

}
