package io.transferportal.ticketing;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.ReviewDecision;

/** The API's resources of periodic access reviews. */
final class ApiReviews {

	private ApiReviews() {
	}

	/**
	 * {@code POST /api/v1/users/{serverId}/{userName}/review}. The decision is text, so
	 * that a wrong value is a field error that says what is allowed; that a revocation
	 * needs a comment is the requests module's rule.
	 */
	record Review(
			@NotNull @Pattern(regexp = "CONFIRM|REVOKE",
					message = "must be CONFIRM or REVOKE") @Nullable String decision,
			@Size(max = 1000) @Pattern(regexp = "[^\\p{Cntrl}&&[^\\n\\t]]*",
					message = "must not contain control characters") @Nullable String comment) {

		ReviewDecision toDecision() {
			return ReviewDecision.valueOf(this.decision);
		}

	}

	/**
	 * A user whose access review is due soon or overdue.
	 *
	 * @param grantedBy who asked for its access (who may not review it)
	 * @param reviewDueAt when the review is due
	 * @param reviewOverdue whether that has passed
	 * @param suspension {@code UNREVIEWED} once its SSH keys were removed for it (a
	 * confirmation gives them back), {@code EXPIRED}, or {@code null}
	 */
	record ReviewDue(String serverId, String userName, @Nullable String grantedBy, @Nullable Instant grantedAt,
			@Nullable String reviewedBy, @Nullable Instant reviewedAt, @Nullable Instant reviewDueAt,
			boolean reviewOverdue, @Nullable String suspension, String review) {

		static ReviewDue of(ManagedUserView user) {
			ManagedUserView.Lifecycle lifecycle = user.lifecycle();
			return new ReviewDue(user.serverId(), user.userName(), lifecycle.grantedBy(), lifecycle.grantedAt(),
					lifecycle.reviewedBy(), lifecycle.reviewedAt(), lifecycle.reviewDueAt(), lifecycle.reviewOverdue(),
					lifecycle.suspension(), "/api/v1/users/" + user.serverId() + "/" + user.userName() + "/review");
		}

	}

}
