package io.transferportal.web;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

/**
 * Administrators read the audit trail on a page, filtered, and export what they filtered.
 */
@PortalIntegrationTest
class AuditPageControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate tx;

	String user;

	String first;

	String second;

	long requestId;

	@BeforeEach
	void record() {
		// names unique to this test, as the context (and its database) is shared
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		this.user = "audit-" + suffix;
		this.first = "CHG-601-" + suffix;
		this.second = "CHG-602-" + suffix;
		this.requestId = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
		this.tx.executeWithoutResult((status) -> {
			this.events.publishEvent(change(this.requestId, this.first, "<script>alert('detail')</script>",
					"{\"Statement\":\"<script>alert('before')</script>\"}", "2026-11-20T10:00:00Z"));
			this.events.publishEvent(
					change(this.requestId + 1, this.second, "Added role", "{\"a\":1}", "2026-11-25T23:30:00Z"));
		});
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void auditLogWhenFilteredByUserThenNewestFirstWithBeforeAndAfter() throws Exception {
		String page = this.mvc.perform(get("/admin/audit").param("userName", this.user))
			.andExpect(status().isOk())
			.andExpect(view().name("audit/auditLog"))
			.andExpect(content().string(containsString("<details>")))
			.andExpect(content().string(containsString("{&quot;a&quot;:2}")))
			.andExpect(content().string(containsString("href=\"/requests/" + this.requestId + "\"")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page.indexOf(this.second)).isPositive().isLessThan(page.indexOf(this.first));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void auditLogWhenDetailAndDocumentHoldMarkupThenEscaped() throws Exception {
		this.mvc.perform(get("/admin/audit").param("ticketRef", this.first))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("&lt;script&gt;alert(&#39;detail&#39;)&lt;/script&gt;")))
			.andExpect(content().string(containsString("&lt;script&gt;alert(&#39;before&#39;)&lt;/script&gt;")))
			.andExpect(content().string(not(containsString("<script>alert"))))
			.andExpect(content().string(not(containsString(this.second))));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void auditLogWhenFilteredByRequestOrTicketThenOnlyThoseRecords() throws Exception {
		this.mvc.perform(get("/admin/audit").param("requestId", String.valueOf(this.requestId + 1)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(this.second)))
			.andExpect(content().string(not(containsString(this.first))));
		this.mvc.perform(get("/admin/audit").param("ticketRef", this.second))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(this.second)))
			.andExpect(content().string(not(containsString(this.first))));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void auditLogWhenDateRangeThenLastDayIsIncludedAndExportLinksCarryTheFilter() throws Exception {
		this.mvc
			.perform(get("/admin/audit").param("userName", this.user)
				.param("ticketRef", "")
				.param("from", "2026-11-21")
				.param("to", "2026-11-25"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(this.second)))
			.andExpect(content().string(not(containsString(this.first))))
			.andExpect(content().string(containsString("href=\"/admin/audit/export?format=csv&amp;userName=" + this.user
					+ "&amp;from=2026-11-21T00%3A00%3A00Z&amp;to=2026-11-26T00%3A00%3A00Z\"")))
			.andExpect(content().string(containsString("href=\"/admin/audit/export?format=json&amp;userName="
					+ this.user + "&amp;from=2026-11-21T00%3A00%3A00Z&amp;to=2026-11-26T00%3A00%3A00Z\"")));
		// the link's filter (':' arrives encoded as %3A) selects the same record in the
		// export
		this.mvc
			.perform(get("/admin/audit/export?format=json&userName=" + this.user
					+ "&from=2026-11-21T00:00:00Z&to=2026-11-26T00:00:00Z"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].ticketRef").value(this.second));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void auditLogWhenTicketHasReservedCharactersThenExportLinkEncodesThem() throws Exception {
		this.mvc.perform(get("/admin/audit").param("ticketRef", "A+B&C"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("format=csv&amp;ticketRef=A%2BB%26C\"")));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void auditLogWhenInputIsInvalidThenErrorsNextToTheFields() throws Exception {
		this.mvc.perform(get("/admin/audit").param("requestId", "abc").param("from", "not-a-date"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("search", "requestId", "from"))
			.andExpect(content().string(containsString("id=\"requestId-error\"")))
			.andExpect(content().string(containsString("id=\"from-error\"")))
			.andExpect(content().string(not(containsString("/admin/audit/export?"))));
		this.mvc.perform(get("/admin/audit").param("from", "2026-11-25").param("to", "2026-11-20"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("search", "dateRangeValid"))
			.andExpect(content().string(containsString("id=\"range-error\"")))
			.andExpect(content().string(containsString("The last day cannot be before the first day")));
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void auditLogWhenNotAdminThenForbidden() throws Exception {
		this.mvc.perform(get("/admin/audit")).andExpect(status().isForbidden());
	}

	private AwsChangeApplied change(long requestId, String ticket, String detail, String before, String at) {
		return new AwsChangeApplied(requestId, "s-0123456789abcdef0", this.user, ticket,
				new AppliedChange(ResourceKind.KEY_POLICY, "arn:aws:kms:us-east-1:123456789012:key/k",
						AppliedChange.Outcome.UPDATED, before, "{\"a\":2}", detail),
				Instant.parse(at));
	}

}
