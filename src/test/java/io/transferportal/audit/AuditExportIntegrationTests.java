package io.transferportal.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.requests.RequestEvents.AwsChangeApplied;
import io.transferportal.support.PortalIntegrationTest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Administrators export the audit trail as CSV or JSON, filtered, with the AWS request
 * ids of each change; nobody else can.
 */
@PortalIntegrationTest
class AuditExportIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate tx;

	String first;

	String second;

	@BeforeEach
	void record() {
		// ticket references unique to this test, as the context (and its database) is
		// shared
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		this.first = "CHG-501-" + suffix;
		this.second = "CHG-502-" + suffix;
		this.tx.executeWithoutResult((status) -> {
			this.events.publishEvent(change(501L, this.first, "=HYPERLINK(\"http://evil\")", "2026-11-20T10:00:00Z"));
			this.events.publishEvent(change(502L, this.second, "Added role", "2026-11-25T10:00:00Z"));
		});
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void exportWhenAdminThenCsvWithFormulaCellsNeutralized() throws Exception {
		this.mvc.perform(get("/admin/audit/export").param("format", "csv").param("ticketRef", this.first))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Disposition", containsString("transfer-portal-audit.csv")))
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andExpect(content().string(containsString(
					"id,occurredAt,actor,action,requestId,ticketRef,serverId,userName,resource,resourceArn,outcome,before,after,detail,awsRequestId\r\n")))
			.andExpect(content().string(containsString("\"'=HYPERLINK(\"\"http://evil\"\")\",req-501a req-501b\r\n")))
			.andExpect(content().string(not(containsString(this.second))));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void exportWhenJsonAndDateRangeThenOnlyMatchingRecords() throws Exception {
		this.mvc
			.perform(get("/admin/audit/export").param("format", "json")
				.param("from", "2026-11-24T00:00:00Z")
				.param("ticketRef", this.second))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].ticketRef").value(this.second))
			.andExpect(jsonPath("$[0].before").value("{\"a\":1}"))
			.andExpect(jsonPath("$[0].occurredAt").value("2026-11-25T10:00:00Z"))
			.andExpect(jsonPath("$[0].awsRequestId").value("req-502a req-502b"));
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void exportWhenNotAdminThenForbidden() throws Exception {
		this.mvc.perform(get("/admin/audit/export")).andExpect(status().isForbidden());
	}

	private static AwsChangeApplied change(long requestId, String ticket, String detail, String at) {
		return new AwsChangeApplied(requestId, "s-0123456789abcdef0", "alice", ticket,
				new AppliedChange(ResourceKind.KEY_POLICY, "arn:aws:kms:us-east-1:123456789012:key/k",
						AppliedChange.Outcome.UPDATED, "{\"a\":1}", "{\"a\":2}", detail,
						List.of("req-" + requestId + "a", "req-" + requestId + "b")),
				Instant.parse(at));
	}

}
