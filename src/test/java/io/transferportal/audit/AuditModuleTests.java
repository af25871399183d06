package io.transferportal.audit;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;
import io.transferportal.requests.RequestEvents.AccessRequestSubmitted;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit module on its own: the requests module's events become audit records, without
 * the rest of the portal.
 */
@ApplicationModuleTest
class AuditModuleTests {

	static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

	@Autowired
	AuditTrail trail;

	@Test
	void submissionIsRecordedWithItsPlanFingerprint(Scenario scenario) {
		long requestId = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
		scenario
			.publish(new AccessRequestSubmitted(requestId, RequestKind.PROVISION, "s-0123456789abcdef0", "alice",
					"CHG-7", "alice", "f-1", "Provision alice", AT))
			.andWaitForStateChange(() -> records(requestId), (records) -> !records.isEmpty())
			.andVerify((records) -> assertThat(records).singleElement().satisfies((record) -> {
				assertThat(record.action()).isEqualTo("SUBMITTED");
				assertThat(record.actor()).isEqualTo("alice");
				assertThat(record.ticketRef()).isEqualTo("CHG-7");
				assertThat(record.occurredAt()).isEqualTo(AT);
				assertThat(record.detail()).isEqualTo("Provision alice (plan f-1)");
			}));
	}

	@Test
	void statusChangeIsRecordedWithBothStatuses(Scenario scenario) {
		long requestId = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
		scenario
			.publish(new AccessRequestStatusChanged(requestId, "s-0123456789abcdef0", "alice", null,
					RequestStatus.PROVISIONING, RequestStatus.ACTIVE, "portal", "All steps done", AT))
			.andWaitForStateChange(() -> records(requestId), (records) -> !records.isEmpty())
			.andVerify((records) -> assertThat(records).singleElement().satisfies((record) -> {
				assertThat(record.action()).isEqualTo("STATUS_CHANGED");
				assertThat(record.outcome()).isEqualTo("ACTIVE");
				assertThat(record.detail()).isEqualTo("PROVISIONING -> ACTIVE: All steps done");
			}));
	}

	private List<AuditRecord> records(long requestId) {
		return this.trail.search(AuditFilter.forRequest(requestId), 10);
	}

}
