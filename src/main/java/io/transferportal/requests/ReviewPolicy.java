package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.FieldViolation;

/**
 * The rules of a periodic access review, whoever asks (web UI, REST API, the portal's own
 * lifecycle job). Who may review at all is decided before, by
 * {@link RequestAccessPolicy#mayReview}.
 */
final class ReviewPolicy {

	/** Short enough that the audit record (2000 characters) holds it whole. */
	static final int MAX_COMMENT_LENGTH = 1000;

	/** Printable text; new lines and tabs allowed. */
	private static final Pattern COMMENT = Pattern.compile("[^\\p{Cntrl}&&[^\\n\\t]]*");

	private ReviewPolicy() {
	}

	/**
	 * Four eyes: whoever asked for the access a user has now cannot confirm or revoke it.
	 * Users from before grants were recorded have no grantor; anyone may review them.
	 */
	static void reviewerDidNotAskForTheAccess(ManagedUser user, String reviewer) {
		if (user.getGrantedBy() != null && user.getGrantedBy().equalsIgnoreCase(reviewer)) {
			throw new RequestNotAllowedException(
					"Four eyes: " + reviewer + " asked for the access of " + user.getUserName() + " on "
							+ user.getServerId() + " and cannot review it; another approver must");
		}
	}

	/**
	 * A comment is optional for a confirmation and required for a revocation, which
	 * removes the user: the trail says why.
	 */
	static List<FieldViolation> commentViolations(ReviewDecision decision, @Nullable String comment) {
		if (comment == null || comment.isBlank()) {
			return (decision == ReviewDecision.REVOKE)
					? List.of(new FieldViolation("comment", "is required to revoke access: say why")) : List.of();
		}
		if (comment.length() > MAX_COMMENT_LENGTH) {
			return List.of(new FieldViolation("comment", "must be at most " + MAX_COMMENT_LENGTH + " characters"));
		}
		if (!COMMENT.matcher(comment).matches()) {
			return List.of(new FieldViolation("comment", "must not contain control characters"));
		}
		return List.of();
	}

	/**
	 * The instant before which a user's last grant or confirmation must lie for its
	 * review to be overdue at {@code now}: the query's side of
	 * {@link ManagedUserView.Lifecycle#reviewDueAt} ({@code due < now} exactly when
	 * {@code base < now - interval}).
	 */
	static Instant overdueIfLastBefore(Instant now, Duration interval) {
		return now.minus(interval);
	}

}
