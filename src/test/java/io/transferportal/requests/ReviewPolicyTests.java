package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The rules of a periodic access review on their own, and when a review is due. */
class ReviewPolicyTests {

	static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	static final Duration INTERVAL = Duration.ofDays(90);

	static final LifecycleProperties REVIEWS = new LifecycleProperties(null, Duration.ofDays(7), Duration.ofDays(14),
			INTERVAL, false, Duration.ofMinutes(1));

	static final LifecycleProperties NO_REVIEWS = new LifecycleProperties(null, Duration.ofDays(7), Duration.ofDays(14),
			null, false, Duration.ofMinutes(1));

	static final UserSpec SPEC = AwsFixtures.spec("s-0123456789abcdef0", "nina", "bucket", "arn:aws:kms:key",
			TestKeys.ED25519_A);

	@Test
	void whoeverAskedForTheAccessCannotReviewItInAnyCase() {
		ManagedUser user = new ManagedUser(SPEC, 1, "Carol", NOW);
		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> ReviewPolicy.reviewerDidNotAskForTheAccess(user, "carol"))
			.withMessage("Four eyes: carol asked for the access of nina on s-0123456789abcdef0 and cannot review it; "
					+ "another approver must");
		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> ReviewPolicy.reviewerDidNotAskForTheAccess(user, "CAROL"));
		assertThatNoException().isThrownBy(() -> ReviewPolicy.reviewerDidNotAskForTheAccess(user, "bob"));
		// an API client asked for it: a person reviews
		ManagedUser fromApi = new ManagedUser(SPEC, 1, "api:servicenow", NOW);
		assertThatNoException().isThrownBy(() -> ReviewPolicy.reviewerDidNotAskForTheAccess(fromApi, "carol"));
	}

	@Test
	void aRevocationNeedsAReasonAConfirmationDoesNot() {
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.CONFIRM, null)).isEmpty();
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.CONFIRM, "  ")).isEmpty();
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.REVOKE, "left the company")).isEmpty();
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.REVOKE, null)).extracting(FieldViolation::field)
			.containsExactly("comment");
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.REVOKE, " \n ")).extracting(FieldViolation::message)
			.containsExactly("is required to revoke access: say why");
	}

	@Test
	void aCommentIsPrintableAndFitsTheAuditRecord() {
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.CONFIRM, "x".repeat(1000))).isEmpty();
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.CONFIRM, "x".repeat(1001)))
			.extracting(FieldViolation::message)
			.containsExactly("must be at most 1000 characters");
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.REVOKE, "line one\n\tline two")).isEmpty();
		assertThat(ReviewPolicy.commentViolations(ReviewDecision.REVOKE, "bell\u0007"))
			.extracting(FieldViolation::message)
			.containsExactly("must not contain control characters");
	}

	@Test
	void aReviewIsDueAnIntervalAfterTheLaterOfGrantAndConfirmation() {
		ManagedUser granted = new ManagedUser(SPEC, 1, "carol", NOW.minus(Duration.ofDays(100)));
		assertThat(ManagedUserView.Lifecycle.reviewDueAt(granted, REVIEWS)).isEqualTo(NOW.minus(Duration.ofDays(10)));
		assertThat(ManagedUserView.Lifecycle.of(granted, REVIEWS, NOW).reviewOverdue()).isTrue();

		granted.reviewed("bob", NOW.minus(Duration.ofDays(1)));
		assertThat(ManagedUserView.Lifecycle.reviewDueAt(granted, REVIEWS)).isEqualTo(NOW.plus(Duration.ofDays(89)));
		assertThat(ManagedUserView.Lifecycle.of(granted, REVIEWS, NOW).reviewOverdue()).isFalse();

		// a new grant after an old confirmation counts from the grant
		ManagedUser regranted = new ManagedUser(SPEC, 1, "carol", NOW.minus(Duration.ofDays(300)));
		regranted.reviewed("bob", NOW.minus(Duration.ofDays(200)));
		regranted.provisioned(SPEC, 2, "alice", NOW.minus(Duration.ofDays(5)));
		assertThat(ManagedUserView.Lifecycle.of(regranted, REVIEWS, NOW).reviewOverdue()).isFalse();
		assertThat(regranted.getGrantedBy()).isEqualTo("alice");
	}

	@Test
	void exactlyAnIntervalOldIsDueNowAndNotYetOverdueOnBothSides() {
		ManagedUser user = new ManagedUser(SPEC, 1, "carol", NOW.minus(INTERVAL));
		assertThat(ManagedUserView.Lifecycle.of(user, REVIEWS, NOW).reviewOverdue()).isFalse();
		// the query's bound: overdue only when the last grant or review is strictly
		// before it
		assertThat(ReviewPolicy.overdueIfLastBefore(NOW, INTERVAL)).isEqualTo(user.getGrantedAt());
		assertThat(ManagedUserView.Lifecycle.of(user, REVIEWS, NOW.plusMillis(1)).reviewOverdue()).isTrue();
	}

	@Test
	void withoutAnIntervalNothingIsEverDue() {
		ManagedUser user = new ManagedUser(SPEC, 1, "carol", NOW.minus(Duration.ofDays(1000)));
		assertThat(ManagedUserView.Lifecycle.reviewDueAt(user, NO_REVIEWS)).isNull();
		assertThat(ManagedUserView.Lifecycle.of(user, NO_REVIEWS, NOW).reviewOverdue()).isFalse();
	}

	@Test
	void aConfirmationGivesASuspendedUserItsKeysBackAndKeepsItsGrant() {
		ManagedUser user = new ManagedUser(SPEC, 1, "carol", NOW.minus(Duration.ofDays(100)));
		user.suspended(ManagedUser.Suspension.UNREVIEWED, 2, NOW.minus(Duration.ofDays(9)));
		assertThat(user.effectiveSpec().sshPublicKeys()).isEmpty();

		user.reinstated(3, NOW);

		assertThat(user.getSuspension()).isNull();
		assertThat(user.getSuspendedAt()).isNull();
		assertThat(user.effectiveSpec()).isEqualTo(SPEC);
		assertThat(user.getLastRequestId()).isEqualTo(3);
		assertThat(user.getGrantedBy()).isEqualTo("carol");
		assertThat(RequestKind.REINSTATE.isCovered()).isTrue();
		assertThat(RequestKind.REINSTATE.grantsAccess()).isFalse();
	}

}
