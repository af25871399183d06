package io.transferportal.requests;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.util.ReflectionTestUtils;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.RequestEvents.AccessRequestDecided;
import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The request's state machine and the four-eyes rules, without Spring or AWS. */
class AccessRequestTests {

	static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	static final EnumSet<RequestStatus> ALLOWED_FROM_PENDING = EnumSet.of(RequestStatus.APPROVED,
			RequestStatus.REJECTED, RequestStatus.CANCELLED);

	static Stream<Arguments> illegalTransitions() {
		Map<RequestStatus, EnumSet<RequestStatus>> allowed = Map.of(RequestStatus.PENDING_APPROVAL,
				ALLOWED_FROM_PENDING, RequestStatus.NEEDS_REAPPROVAL, ALLOWED_FROM_PENDING, RequestStatus.APPROVED,
				EnumSet.of(RequestStatus.PROVISIONING, RequestStatus.CANCELLED), RequestStatus.PROVISIONING,
				EnumSet.of(RequestStatus.ACTIVE, RequestStatus.DELETED, RequestStatus.FAILED,
						RequestStatus.NEEDS_REAPPROVAL, RequestStatus.CANCELLED),
				RequestStatus.FAILED, EnumSet.of(RequestStatus.PROVISIONING, RequestStatus.CANCELLED));
		return Stream.of(RequestStatus.values())
			.flatMap((from) -> Stream.of(RequestStatus.values())
				.filter((to) -> !allowed.getOrDefault(from, EnumSet.noneOf(RequestStatus.class)).contains(to))
				.map((to) -> arguments(from, to)));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("illegalTransitions")
	void everyIllegalTransitionIsRefused(RequestStatus from, RequestStatus to) {
		assertThat(from.canMoveTo(to)).isFalse();
	}

	@Test
	void theDocumentedLifecycleIsAllowed() {
		assertThat(RequestStatus.PENDING_APPROVAL.canMoveTo(RequestStatus.APPROVED)).isTrue();
		assertThat(RequestStatus.APPROVED.canMoveTo(RequestStatus.PROVISIONING)).isTrue();
		assertThat(RequestStatus.PROVISIONING.canMoveTo(RequestStatus.ACTIVE)).isTrue();
		assertThat(RequestStatus.PROVISIONING.canMoveTo(RequestStatus.FAILED)).isTrue();
		assertThat(RequestStatus.FAILED.canMoveTo(RequestStatus.PROVISIONING)).isTrue();
		assertThat(RequestStatus.PROVISIONING.canMoveTo(RequestStatus.NEEDS_REAPPROVAL)).isTrue();
	}

	@Test
	void requesterApprovingOwnRequestIsRefusedAndNothingChanges() {
		AccessRequest request = request("alice");

		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> request.approve("alice", "looks fine", 1, NOW))
			.withMessageContaining("Four eyes");
		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> request.approve("ALICE", null, 1, NOW));
		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> request.reject("alice", null, NOW));
		assertThat(request.getStatus()).isEqualTo(RequestStatus.PENDING_APPROVAL);
		assertThat(request.getDecisions()).isEmpty();
	}

	@Test
	void approvalBindsTheRequestToThePlanFingerprint() {
		AccessRequest request = request("alice");

		assertThat(request.approve("bob", "ok", 1, NOW)).isTrue();

		assertThat(request.getStatus()).isEqualTo(RequestStatus.APPROVED);
		assertThat(request.getDecisions()).singleElement()
			.satisfies((d) -> assertThat(d.getPlanFingerprint()).isEqualTo(request.getPlan().fingerprint()));
	}

	@Test
	void twoRequiredApprovalsNeedTwoDifferentApprovers() {
		AccessRequest request = request("alice");

		assertThat(request.approve("bob", null, 2, NOW)).isFalse();
		assertThatExceptionOfType(RequestConflictException.class)
			.isThrownBy(() -> request.approve("bob", null, 2, NOW));
		assertThat(request.getStatus()).isEqualTo(RequestStatus.PENDING_APPROVAL);
		assertThat(request.approve("carol", null, 2, NOW)).isTrue();
		assertThat(request.getStatus()).isEqualTo(RequestStatus.APPROVED);
	}

	@Test
	void aChangedPlanNeedsFreshApprovals() {
		AccessRequest request = request("alice");
		request.approve("bob", null, 1, NOW);
		request.startProvisioning("1/run", 1, NOW);

		request.needsReapproval(plan("alice-home", "other-fingerprint"), "changed", NOW);

		assertThat(request.getStatus()).isEqualTo(RequestStatus.NEEDS_REAPPROVAL);
		assertThat(request.approve("bob", null, 1, NOW)).as("bob approved the old plan, not this one").isTrue();
		assertThat(request.getDecisions()).extracting(RequestDecision::getPlanFingerprint)
			.containsExactly("fingerprint-1", "other-fingerprint");
	}

	@Test
	void onlyTheRequesterCancelsAndOnlyWhileWaiting() {
		AccessRequest request = request("alice");

		assertThatExceptionOfType(RequestNotAllowedException.class).isThrownBy(() -> request.cancel("bob", NOW));
		request.cancel("alice", NOW);
		assertThat(request.getStatus()).isEqualTo(RequestStatus.CANCELLED);
		assertThatExceptionOfType(RequestConflictException.class).isThrownBy(() -> request.cancel("alice", NOW));
		assertThatExceptionOfType(RequestConflictException.class)
			.isThrownBy(() -> request.approve("bob", null, 1, NOW));
	}

	@Test
	void illegalMovesThroughTheAggregateAreRefused() {
		AccessRequest request = request("alice");

		assertThatIllegalStateException().isThrownBy(() -> request.complete("done", NOW));
		assertThatIllegalStateException().isThrownBy(() -> request.fail("boom", "Failed: boom", NOW));
		assertThatIllegalStateException().isThrownBy(() -> request.startProvisioning("1/run", 1, NOW));
		assertThatExceptionOfType(RequestConflictException.class).isThrownBy(() -> request.requestRetry(NOW));
		assertThat(request.getStatus()).isEqualTo(RequestStatus.PENDING_APPROVAL);
	}

	@Test
	void aFailedRunCanBeRetriedAndADeprovisionEndsDeleted() {
		AccessRequest request = new AccessRequest(RequestKind.DEPROVISION, plan("alice", "f1"), "alice", "CHG-1", NOW);
		request.approve("bob", null, 1, NOW);
		request.startProvisioning("1/run", 1, NOW);
		request.fail("Throttled", "Failed: Throttled", NOW);
		request.requestRetry(NOW);
		request.startProvisioning("1/run", 1, NOW);
		request.complete("done", NOW);

		assertThat(request.getStatus()).isEqualTo(RequestStatus.DELETED);
		assertThat(request.getFailure()).isNull();
	}

	@Test
	void transitionsRegisterTheirEventsUntilPublished() {
		AccessRequest request = request("alice");
		ReflectionTestUtils.setField(request, "id", 7L);
		assertThat(request.domainEvents()).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("AccessRequestSubmitted", "AccessRequestStatusChanged");
		request.clearDomainEvents();

		request.approve("bob", "ok", 1, NOW);
		request.startProvisioning("1/run", 1, NOW);
		request.fail("Throttled", "Failed: Throttled", NOW);

		assertThat(request.domainEvents()).first().isInstanceOf(AccessRequestDecided.class);
		assertThat(request.domainEvents()).filteredOn(AccessRequestStatusChanged.class::isInstance)
			.map(AccessRequestStatusChanged.class::cast)
			.extracting(AccessRequestStatusChanged::requestId, AccessRequestStatusChanged::previousStatus,
					AccessRequestStatusChanged::status, AccessRequestStatusChanged::actor,
					AccessRequestStatusChanged::summary)
			.containsExactly(
					tuple(7L, RequestStatus.PENDING_APPROVAL, RequestStatus.APPROVED, "bob", "Approved by bob"),
					tuple(7L, RequestStatus.APPROVED, RequestStatus.PROVISIONING, "portal", "Provisioning started"),
					tuple(7L, RequestStatus.PROVISIONING, RequestStatus.FAILED, "portal", "Failed: Throttled"));
		request.clearDomainEvents();
		assertThat(request.domainEvents()).isEmpty();
	}

	@Test
	void aFailedRequestIsAbandonedByItsRequesterOrAnAdminAndNobodyElse() {
		AccessRequest request = request("alice");
		request.approve("bob", "ok", 1, NOW);
		request.startProvisioning("1/run", 1, NOW);
		request.fail("NoSuchBucket", "Failed: NoSuchBucket", NOW);
		request.requestRetry(NOW);
		request.startProvisioning("1/run", 2, NOW);
		request.fail("NoSuchBucket", "Failed: NoSuchBucket", NOW);

		assertThatExceptionOfType(RequestNotAllowedException.class).isThrownBy(() -> request.cancel("carol", NOW));
		request.cancel("root", true, NOW);
		assertThat(request.getStatus()).isEqualTo(RequestStatus.CANCELLED);
		assertThat(request.isRunnableBy("1/run")).isFalse();
		assertThatExceptionOfType(RequestConflictException.class).isThrownBy(() -> request.cancel("alice", NOW));

		AccessRequest own = request("alice");
		own.approve("bob", "ok", 1, NOW);
		own.startProvisioning("2/run", 1, NOW);
		own.fail("NoSuchBucket", "Failed: NoSuchBucket", NOW);
		own.cancel("alice", NOW);
		assertThat(own.getStatus()).isEqualTo(RequestStatus.CANCELLED);
	}

	@Test
	void anAdminClosesARequestInAnyOpenStatusForGood() {
		AccessRequest pending = request("alice");
		ReflectionTestUtils.setField(pending, "id", 9L);
		pending.close("root", "alice left", NOW);
		assertThat(pending.getStatus()).isEqualTo(RequestStatus.CANCELLED);
		assertThat(pending.domainEvents()).last()
			.isInstanceOfSatisfying(AccessRequestStatusChanged.class,
					(event) -> assertThat(event.summary()).isEqualTo("Closed by root: alice left"));

		AccessRequest approved = request("alice");
		approved.approve("bob", null, 1, NOW);
		approved.close("root", "its run was lost", NOW);
		assertThat(approved.getStatus()).isEqualTo(RequestStatus.CANCELLED);
		assertThat(approved.isRunnableBy("1/run")).isFalse();

		AccessRequest provisioning = request("alice");
		ReflectionTestUtils.setField(provisioning, "id", 10L);
		provisioning.approve("bob", null, 1, NOW);
		provisioning.startProvisioning("1/run", 1, NOW);
		provisioning.close("root", "its run dies on every try", NOW);
		assertThat(provisioning.getStatus()).isEqualTo(RequestStatus.CANCELLED);
		assertThat(provisioning.isRunBy("1/run", 1)).as("a late step of the run finds it is not its own").isFalse();
		assertThat(provisioning.domainEvents()).last()
			.isInstanceOfSatisfying(AccessRequestStatusChanged.class,
					(event) -> assertThat(event.summary()).endsWith("(what its runs applied stays in AWS)"));

		AccessRequest failed = request("alice");
		failed.approve("bob", null, 1, NOW);
		failed.startProvisioning("1/run", 1, NOW);
		failed.fail("NoSuchBucket", "Failed: NoSuchBucket", NOW);
		failed.requestRetry(NOW);
		failed.close("root", "the bucket is gone", NOW);
		assertThat(failed.isRunnableBy("1/run")).as("the retry asked for is dropped").isFalse();

		assertThatExceptionOfType(RequestConflictException.class).isThrownBy(() -> failed.close("root", "twice", NOW));
		AccessRequest active = request("alice");
		active.approve("bob", null, 1, NOW);
		active.startProvisioning("1/run", 1, NOW);
		active.complete("done", NOW);
		assertThatExceptionOfType(RequestConflictException.class)
			.isThrownBy(() -> active.close("root", "a final request stays as it is", NOW));
	}

	@Test
	void aRefusedTransitionRegistersNothing() {
		AccessRequest request = request("alice");
		ReflectionTestUtils.setField(request, "id", 8L);
		request.clearDomainEvents();

		assertThatExceptionOfType(RequestNotAllowedException.class).isThrownBy(() -> request.cancel("bob", NOW));
		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> request.approve("alice", null, 1, NOW));

		assertThat(request.domainEvents()).isEmpty();
	}

	static AccessRequest request(String requester) {
		return new AccessRequest(RequestKind.PROVISION, plan("alice", "fingerprint-1"), requester, "CHG-1", NOW);
	}

	static Plan plan(String userName, String fingerprint) {
		UserSpec spec = new UserSpec("s-0123456789abcdef0", userName, "payments-inbox", null,
				"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				List.of("ssh-ed25519 AAAA"), AccessLevel.READ_WRITE, null, Map.of());
		return new Plan(Plan.Kind.PROVISION, spec, List.of(), List.of(), fingerprint);
	}

}
