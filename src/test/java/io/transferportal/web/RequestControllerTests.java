package io.transferportal.web;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.KeyChoice;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ResourceChoices;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestSearch;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = RequestController.class, properties = "portal.web.time-zone=Europe/Berlin")
@Import(FormChoices.class)
class RequestControllerTests {

	static final String SERVER = "s-0123456789abcdef0";

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AccessRequestManagement requests;

	@MockitoBean
	ProvisioningEngine engine;

	@MockitoBean
	ResourceChoices choices;

	@MockitoBean
	AuditTrail audit;

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void aRejectionWithoutAReasonChangesNothingAndTheFormAsksForOne() throws Exception {
		given(this.requests.find(7L)).willReturn(Optional.of(pending()));
		this.mvc.perform(post("/requests/7/reject").param("reason", "  \n ").with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/requests/7"))
			.andExpect(flash().attribute("rejectError", RequestController.REASON_REQUIRED));
		verify(this.requests, never()).reject(any(Long.class), any(), any());
		this.mvc.perform(post("/requests/7/reject").with(csrf()))
			.andExpect(flash().attribute("rejectError", RequestController.REASON_REQUIRED));
		verify(this.requests, never()).reject(any(Long.class), any(), any());
	}

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void aFailedRequestCanBeAbandonedByItsRequester() throws Exception {
		given(this.requests.find(7L)).willReturn(Optional.of(failed()));
		assertThat(page(get("/requests/7"))).contains("id=\"abandon\"").contains("action=\"/requests/7/cancel\"");
	}

	@Test
	@WithMockUser(username = "root", roles = "ADMIN")
	void aFailedRequestCanBeAbandonedByAnAdmin() throws Exception {
		given(this.requests.find(7L)).willReturn(Optional.of(failed()));
		assertThat(page(get("/requests/7"))).contains("id=\"abandon\"");
	}

	@Test
	@WithMockUser(username = "carol", roles = { "REQUESTER", "APPROVER" })
	void anotherRequestersFailedRequestOffersARetryButNoAbandon() throws Exception {
		given(this.requests.find(7L)).willReturn(Optional.of(failed()));
		assertThat(page(get("/requests/7"))).contains("id=\"retry\"").doesNotContain("id=\"abandon\"");
	}

	@Test
	@WithMockUser(username = "root", roles = "ADMIN")
	void anAdminClosesAnOpenRequestWithAReason() throws Exception {
		given(this.requests.find(7L)).willReturn(Optional.of(pending()));
		assertThat(page(get("/requests/7"))).contains("id=\"close\"")
			.contains("action=\"/requests/7/close\"")
			.contains("id=\"close-reason\"");
		this.mvc.perform(post("/requests/7/close").param("reason", " ").with(csrf()))
			.andExpect(redirectedUrl("/requests/7"))
			.andExpect(flash().attribute("closeError", RequestController.CLOSE_REASON_REQUIRED));
		verify(this.requests, never()).close(any(Long.class), any(), any());
		this.mvc.perform(post("/requests/7/close").param("reason", " requester left ").with(csrf()))
			.andExpect(redirectedUrl("/requests/7"))
			.andExpect(flash().attribute("message", "Closed."));
		verify(this.requests).close(7L, Actor.person("root"), "requester left");
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void onlyAnAdminIsOfferedToCloseARequest() throws Exception {
		given(this.requests.find(7L)).willReturn(Optional.of(pending()));
		assertThat(page(get("/requests/7"))).doesNotContain("id=\"close\"");
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void aRejectionWithAReasonIsDecided() throws Exception {
		this.mvc.perform(post("/requests/7/reject").param("reason", " wrong bucket ").with(csrf()))
			.andExpect(redirectedUrl("/requests/7"))
			.andExpect(flash().attribute("message", "Rejected."));
		verify(this.requests).reject(7L, Actor.person("bob"), "wrong bucket");
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void theApprovalsQueueCountsTheChangesThatChangeSomethingAndColoursTheStatus() throws Exception {
		given(this.requests.withStatus(RequestStatus.PENDING_APPROVAL)).willReturn(List.of(pending()));
		given(this.requests.awaitingDecision()).willReturn(1L);
		String html = page(get("/approvals"));
		assertThat(html).contains("<td data-label=\"Changes\">2</td>")
			.doesNotContain("<td data-label=\"Changes\">4</td>")
			.contains("<span class=\"badge badge-info\">PENDING_APPROVAL</span>")
			.contains("<td data-label=\"Ticket\">CHG-1</td>")
			.as("local time in the configured zone, the exact UTC instant on hover")
			.contains("title=\"2026-12-01T10:00:00Z\">2026-12-01 11:00 CET</time>")
			.as("the menu's count for an approver")
			.containsPattern("id=\"approvals-count\"\\s*>1</span>");
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void theRequestsListPassesItsFiltersAndOrderAndKeepsThemInItsLinks() throws Exception {
		given(this.requests.search(any(RequestSearch.class), any(Pageable.class)))
			.willAnswer((call) -> new PageImpl<>(List.of(pending()), call.getArgument(1), 120));
		String html = page(get("/requests").param("userName", "an")
			.param("requestedBy", "ali")
			.param("status", "PENDING_APPROVAL")
			.param("ticketRef", "CHG-1&x")
			.param("sort", "user")
			.param("dir", "asc")
			.param("page", "2"));
		verify(this.requests).search(new RequestSearch("an", "ali", RequestStatus.PENDING_APPROVAL, "CHG-1&x"),
				PageRequest.of(1, RequestListForm.PAGE_SIZE,
						Sort.by(Sort.Direction.ASC, "userName").and(Sort.by(Sort.Direction.DESC, "id"))));
		assertThat(html).contains("Page 2 of 3")
			.as("the next page keeps filters and order, strictly encoded")
			.contains(
					"href=\"/requests?userName=an&amp;requestedBy=ali&amp;status=PENDING_APPROVAL&amp;ticketRef=CHG-1%26x&amp;sort=user&amp;dir=asc&amp;page=3\"")
			.as("the sorted column's header turns the order round")
			.contains("aria-sort=\"ascending\"")
			.contains("ticketRef=CHG-1%26x&amp;sort=user&amp;dir=desc\"");
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void anUnknownStatusOrSortOrAPageFarAwayIsAFieldErrorOrClampedNeverAnErrorPage() throws Exception {
		assertThat(page(get("/requests").param("status", "NOPE"))).contains("Choose a status from the list");
		assertThat(page(get("/requests").param("userName", "x".repeat(101)))).contains("id=\"userName-error\"");
		verify(this.requests, never()).search(any(RequestSearch.class), any(Pageable.class));

		given(this.requests.search(any(RequestSearch.class), any(Pageable.class))).willReturn(Page.empty());
		page(get("/requests").param("sort", "failure; drop table").param("page", "2147483647"));
		verify(this.requests).search(RequestSearch.ALL, PageRequest.of(RequestListForm.MAX_PAGE - 1,
				RequestListForm.PAGE_SIZE, Sort.by(Sort.Direction.DESC, "id")));
	}

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void theFormSuggestsTheAccountsBucketsAndKeysByAliasAndSaysWhyWhenAListIsMissing() throws Exception {
		given(this.choices.buckets()).willReturn(new ResourceChoices.Choices<>(List.of("payments-inbox"), null));
		given(this.choices.keys()).willReturn(new ResourceChoices.Choices<>(List.of(), "ListAliases: access denied"));
		given(this.engine.transferServers()).willReturn(List.of(SERVER));
		String html = page(get("/requests/new"));
		assertThat(html).contains("list=\"bucket-choices\"")
			.contains("<option value=\"payments-inbox\">payments-inbox</option>")
			.doesNotContain("list=\"key-choices\"")
			.contains("the list of keys is not available: ListAliases: access denied");

		given(this.choices.keys()).willReturn(new ResourceChoices.Choices<>(
				List.of(new KeyChoice("alias/payments", "arn:aws:kms:eu-west-1:111122223333:key/k")), null));
		assertThat(page(get("/requests/new"))).contains("list=\"key-choices\"")
			.contains(
					"<option value=\"arn:aws:kms:eu-west-1:111122223333:key/k\" label=\"alias/payments\">alias/payments</option>");
	}

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void aPastedPrivateKeyIsRefusedWithOneMessageAndNeverSentBack() throws Exception {
		String privateKey = privateKey();
		String body = privateKey.lines().skip(3).findFirst().orElseThrow();
		for (String path : List.of("/requests/preview", "/requests")) {
			String html = page(post(path).with(csrf())
				.param("serverId", SERVER)
				.param("userName", "ann")
				.param("bucket", "data-bucket")
				.param("sshPublicKeys", privateKey)
				.param("ticketRef", "CHG-7"));
			assertThat(html).as(path)
				.doesNotContain(body)
				.doesNotContain("PRIVATE KEY-----")
				.contains("value=\"ann\"")
				.contains("value=\"CHG-7\"");
			assertThat(html.split("This is a private key", -1)).as("one message").hasSize(2);
		}
		verify(this.requests, never()).preview(any(), any());
		verify(this.requests, never()).submitProvision(any(), any(), any(), any());
		verify(this.engine, never()).validate(any(UserSpec.class));
		verify(this.requests, never()).awaitingDecision();
	}

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void theRoleFieldsMustAgreeInsteadOfAGuessedDedicatedRole() throws Exception {
		String ticked = page(post("/requests/preview").with(csrf())
			.param("serverId", SERVER)
			.param("userName", "ann")
			.param("existingRole", "true")
			.param("roleArn", " "));
		assertThat(ticked).contains("give the ARN of the existing role");
		String unticked = page(post("/requests").with(csrf())
			.param("serverId", SERVER)
			.param("userName", "ann")
			// what a browser sends for an unticked box
			.param("_existingRole", "on")
			.param("roleArn", "arn:aws:iam::111122223333:role/transfer-users/shared"));
		assertThat(unticked).contains("tick &quot;Use an existing role&quot; to use this role");
		verify(this.requests, never()).preview(any(), any());
		verify(this.requests, never()).submitProvision(any(), any(), any(), any());
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void theProgressAPagePollsCountsNothingForTheMenu() throws Exception {
		given(this.requests.find(7L)).willReturn(Optional.of(pending()));
		assertThat(page(get("/requests/7/progress").param("shown", "PENDING_APPROVAL"))).contains("PENDING_APPROVAL");
		verify(this.requests, never()).awaitingDecision();
	}

	/** A page answered 200, as text. */
	private String page(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
	}

	/** A real RSA private key in PEM, as {@code openssl} writes it. */
	static String privateKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
		return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
	}

	private static RequestView pending() {
		UserSpec spec = new UserSpec(SERVER, "ann", "data-bucket", null,
				"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				List.of("ssh-ed25519 AAAA"), AccessLevel.READ_WRITE, null, Map.of());
		List<PlannedChange> changes = List.of(change(ResourceKind.ROLE, ChangeAction.CREATE),
				change(ResourceKind.ROLE_POLICY, ChangeAction.CREATE),
				change(ResourceKind.BUCKET_ENCRYPTION, ChangeAction.NONE),
				change(ResourceKind.KEY_POLICY, ChangeAction.NONE));
		Instant now = Instant.parse("2026-12-01T10:00:00Z");
		return new RequestView(7, RequestKind.PROVISION, RequestStatus.PENDING_APPROVAL, SERVER, "ann", "CHG-1",
				"alice", new Plan(Plan.Kind.PROVISION, spec, changes, List.of(), "f-1"), List.of(), null, now, now,
				new RequestView.Terms(null, List.of(), null, null), null);
	}

	private static RequestView failed() {
		RequestView pending = pending();
		return new RequestView(pending.id(), pending.kind(), RequestStatus.FAILED, pending.serverId(),
				pending.userName(), pending.ticketRef(), pending.requestedBy(), pending.plan(), pending.decisions(),
				"NoSuchBucket: the bucket does not exist", pending.createdAt(), pending.updatedAt(), pending.terms(),
				null);
	}

	private static PlannedChange change(ResourceKind resource, ChangeAction action) {
		return new PlannedChange(resource, "arn:aws:iam::111122223333:role/x", action, null, null,
				action + " " + resource, List.of());
	}

}
