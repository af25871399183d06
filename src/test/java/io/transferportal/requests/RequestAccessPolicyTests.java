package io.transferportal.requests;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.transferportal.accounts.PortalRole;
import io.transferportal.requests.RequestAccessPolicy.Acting;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The access rules on their own: plain values in, allowed or refused out. */
class RequestAccessPolicyTests {

	static final Acting REQUESTER = Acting.person("rita", true, Set.of(PortalRole.REQUESTER));

	static final Acting APPROVER = Acting.person("otto", true, Set.of(PortalRole.APPROVER));

	static final Acting ADMIN = Acting.person("ada", true, Set.of(PortalRole.ADMIN));

	static final Acting NO_ROLE = Acting.person("sso:nobody", true, Set.of());

	static final Acting DISABLED_ADMIN = Acting.person("dan", false, Set.of(PortalRole.ADMIN));

	static final Acting READER = Acting.integration("api:reporting", Set.of("requests:read"));

	static final Acting WRITER = Acting.integration("api:writer", Set.of(Actor.WRITE_SCOPE));

	@Test
	void submitNeedsRequesterOrAdminOrTheWriteScope() {
		allowed(() -> RequestAccessPolicy.maySubmit(REQUESTER));
		allowed(() -> RequestAccessPolicy.maySubmit(ADMIN));
		allowed(() -> RequestAccessPolicy.maySubmit(WRITER));
		refused(() -> RequestAccessPolicy.maySubmit(APPROVER));
		refused(() -> RequestAccessPolicy.maySubmit(NO_ROLE));
		refused(() -> RequestAccessPolicy.maySubmit(READER));
		refused(() -> RequestAccessPolicy.maySubmit(DISABLED_ADMIN));
	}

	@Test
	void decidingNeedsAPersonHoldingApproverNow() {
		allowed(() -> RequestAccessPolicy.mayDecide(APPROVER));
		refused(() -> RequestAccessPolicy.mayDecide(REQUESTER));
		refused(() -> RequestAccessPolicy.mayDecide(ADMIN));
		refused(() -> RequestAccessPolicy.mayDecide(WRITER));
		refused(() -> RequestAccessPolicy
			.mayDecide(Acting.integration("api:all", Set.of("requests:read", Actor.WRITE_SCOPE))));
		refused(() -> RequestAccessPolicy.mayDecide(Acting.person("otto", false, Set.of(PortalRole.APPROVER))));
	}

	@Test
	void reviewingNeedsAPersonHoldingApproverNow() {
		allowed(() -> RequestAccessPolicy.mayReview(APPROVER));
		refused(() -> RequestAccessPolicy.mayReview(REQUESTER));
		refused(() -> RequestAccessPolicy.mayReview(ADMIN));
		refused(() -> RequestAccessPolicy.mayReview(NO_ROLE));
		refused(() -> RequestAccessPolicy.mayReview(WRITER));
		refused(() -> RequestAccessPolicy
			.mayReview(Acting.integration("api:all", Set.of("requests:read", Actor.WRITE_SCOPE))));
		refused(() -> RequestAccessPolicy.mayReview(Acting.person("otto", false, Set.of(PortalRole.APPROVER))));
	}

	@Test
	void retryIsForTheSubmitterApproversAdminsAndWriters() {
		allowed(() -> RequestAccessPolicy.mayRetry(REQUESTER, "RITA"));
		allowed(() -> RequestAccessPolicy.mayRetry(APPROVER, "rita"));
		allowed(() -> RequestAccessPolicy.mayRetry(ADMIN, "rita"));
		allowed(() -> RequestAccessPolicy.mayRetry(WRITER, "rita"));
		refused(() -> RequestAccessPolicy.mayRetry(Acting.person("sam", true, Set.of(PortalRole.REQUESTER)), "rita"));
		refused(() -> RequestAccessPolicy.mayRetry(READER, "api:reporting"));
		refused(() -> RequestAccessPolicy.mayRetry(Acting.person("rita", false, Set.of(PortalRole.REQUESTER)), "rita"));
	}

	@Test
	void verifyIsForAnyPortalRoleAndWriters() {
		allowed(() -> RequestAccessPolicy.mayVerify(REQUESTER));
		allowed(() -> RequestAccessPolicy.mayVerify(APPROVER));
		allowed(() -> RequestAccessPolicy.mayVerify(ADMIN));
		allowed(() -> RequestAccessPolicy.mayVerify(WRITER));
		refused(() -> RequestAccessPolicy.mayVerify(NO_ROLE));
		refused(() -> RequestAccessPolicy.mayVerify(READER));
		refused(() -> RequestAccessPolicy.mayVerify(DISABLED_ADMIN));
	}

	@Test
	void repairAndDeprovisionAreForAdminsAndWriters() {
		allowed(() -> RequestAccessPolicy.mayChangeManagedUser(ADMIN));
		allowed(() -> RequestAccessPolicy.mayChangeManagedUser(WRITER));
		refused(() -> RequestAccessPolicy.mayChangeManagedUser(REQUESTER));
		refused(() -> RequestAccessPolicy.mayChangeManagedUser(APPROVER));
		refused(() -> RequestAccessPolicy.mayChangeManagedUser(READER));
		refused(() -> RequestAccessPolicy.mayChangeManagedUser(DISABLED_ADMIN));
	}

	@Test
	void closingAnyRequestIsForAdminsInPersonOnly() {
		allowed(() -> RequestAccessPolicy.mayClose(ADMIN));
		refused(() -> RequestAccessPolicy.mayClose(WRITER));
		refused(() -> RequestAccessPolicy.mayClose(APPROVER));
		refused(() -> RequestAccessPolicy.mayClose(REQUESTER));
		refused(() -> RequestAccessPolicy.mayClose(DISABLED_ADMIN));
		refused(() -> RequestAccessPolicy.mayClose(Acting.integration("api:admin", Set.of("ROLE_ADMIN"))));
	}

	@Test
	void cancelGetsPastThePolicyForActiveActorsOnly() {
		// who submitted is checked by the request itself (ApprovalPolicy)
		allowed(() -> RequestAccessPolicy.mayCancel(APPROVER));
		allowed(() -> RequestAccessPolicy.mayCancel(READER));
		refused(() -> RequestAccessPolicy.mayCancel(DISABLED_ADMIN));
	}

	@Test
	void aDisabledAccountHasNoRolesAtAll() {
		refused(() -> RequestAccessPolicy.mayVerify(Acting.person("dan", false, Set.of(PortalRole.values()))));
	}

	private static void allowed(Runnable rule) {
		assertThatNoException().isThrownBy(rule::run);
	}

	private static void refused(Runnable rule) {
		assertThatExceptionOfType(RequestNotAllowedException.class).isThrownBy(rule::run);
	}

}
