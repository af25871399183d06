package io.transferportal.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.Health;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestNotAllowedException;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

@WebMvcTest(UserController.class)
class UserControllerTests {

	static final String SERVER = "s-0123456789abcdef0";

	static final String KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AccessRequestManagement requests;

	@Test
	@WithMockUser
	void userDetailsShowChecksWithEscapedDetailSpecAndLastRequest() throws Exception {
		given(this.requests.managedUser(SERVER, "alice")).willReturn(Optional.of(alice()));
		String html = this.mvc.perform(get("/users/{serverId}/{userName}", SERVER, "alice"))
			.andExpect(status().isOk())
			.andExpect(view().name("users/userDetails"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).containsPattern("<th scope=\"row\"[^>]*>KMS key policy</th>")
			.contains("<span class=\"badge badge-drift\">DRIFT</span>")
			.contains("Statement &lt;script&gt;alert(1)&lt;/script&gt; was removed")
			.doesNotContain("<script>alert(1)</script>")
			.contains("/data-bucket/incoming/alice")
			.contains(KEY_ARN)
			.contains("Read-only")
			.contains("arn:aws:iam::111122223333:role/shared-transfer")
			.contains("<dd class=\"col-sm-9\">2</dd>")
			.contains("2026-01-02T03:04:05Z")
			.contains("href=\"/requests/42\"")
			.contains("action=\"/users/s-0123456789abcdef0/alice/verify\"")
			.contains("name=\"_csrf\"")
			.contains("Verify now")
			.doesNotContain("Deprovision</button>")
			.doesNotContain("Repair</button>")
			.doesNotContain("style=");
	}

	@Test
	@WithMockUser(roles = "ADMIN")
	void userDetailsWhenAdminThenRepairAndDeprovisionButtons() throws Exception {
		given(this.requests.managedUser(SERVER, "alice")).willReturn(Optional.of(alice()));
		String html = this.mvc.perform(get("/users/{serverId}/{userName}", SERVER, "alice"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("action=\"/users/s-0123456789abcdef0/alice/repair\"")
			.as("one ticket field for both; Deprovision asks to confirm on its own page first")
			.containsOnlyOnce("name=\"ticketRef\"")
			.containsPattern("formmethod=\"get\"\\s+formaction=\"/users/s-0123456789abcdef0/alice/deprovision\"")
			.contains("Repair</button>")
			.contains("Deprovision…</button>");
	}

	@Test
	@WithMockUser(roles = "ADMIN")
	void deprovisionFirstSaysWhatGoesAndWhatStaysAndKeepsTheTicket() throws Exception {
		given(this.requests.managedUser(SERVER, "alice")).willReturn(Optional.of(alice()));
		String html = this.mvc
			.perform(get("/users/{serverId}/{userName}/deprovision", SERVER, "alice").param("ticketRef", "CHG-9"))
			.andExpect(status().isOk())
			.andExpect(view().name("users/deprovisionConfirm"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("Deprovision <span>alice</span>?")
			.contains("the portal's policy from the existing role")
			.contains("data-bucket/incoming/alice")
			.contains("value=\"CHG-9\"")
			.contains("method=\"post\"")
			.contains("id=\"confirm-deprovision\"");
		verify(this.requests, never()).submitDeprovision(any(), any(), any(), any());
	}

	@Test
	@WithMockUser
	void userDetailsSayWhoRequestedAndApprovedTheAccessItsRoleAndItsRequests() throws Exception {
		ManagedUserView alice = alice();
		UserSpec dedicated = alice.spec().withRoleArn(null);
		given(this.requests.managedUser(SERVER, "alice")).willReturn(Optional.of(new ManagedUserView(SERVER, "alice",
				true, dedicated, alice.checks(), alice.health(), alice.verifiedAt(), 42L, alice.lifecycle())));
		String role = "arn:aws:iam::111122223333:role/transfer-portal/alice";
		Plan plan = new Plan(Plan.Kind.PROVISION, dedicated, List
			.of(new PlannedChange(ResourceKind.ROLE, role, ChangeAction.NONE, "{}", "{}", "Role in place", List.of())),
				List.of(), "f-42");
		Instant at = Instant.parse("2026-01-01T09:00:00Z");
		given(this.requests.find(42L))
			.willReturn(Optional.of(new RequestView(42, RequestKind.PROVISION, RequestStatus.ACTIVE, SERVER, "alice",
					"CHG-42", "alice", plan, List.of(new RequestView.DecisionView("bob", true, "fine", "f-42", at)),
					null, at, at, new RequestView.Terms(null, List.of(), null, null), null)));
		given(this.requests.requestIds(SERVER, "alice")).willReturn(List.of(57L, 42L));
		String html = this.mvc.perform(get("/users/{serverId}/{userName}", SERVER, "alice"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("request #42, PROVISION")
			.contains(", ticket CHG-42")
			.containsPattern("id=\"approved-by\"><span><span>bob</span>,\\s*<time")
			.contains("<code>" + role + "</code>")
			.contains("(created for this user by the portal)")
			.contains("href=\"/requests/57\">#57</a>");
	}

	@Test
	@WithMockUser(roles = "REQUESTER")
	void aChangeWithValuesTheFormCannotReadGetsFieldErrorsInWordsAndSubmitsNothing() throws Exception {
		given(this.requests.managedUser(SERVER, "alice")).willReturn(Optional.of(alice()));
		String html = this.mvc
			.perform(post("/users/{serverId}/{userName}/change", SERVER, "alice").with(csrf())
				.param("sshPublicKeys", TestKeys.ED25519_A)
				.param("accessLevel", "EVERYTHING")
				.param("expiresAt", "next tuesday")
				.param("retireAfter", "a week"))
			.andExpect(status().isOk())
			.andExpect(view().name("users/changeForm"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html)
			.contains("must be a date (YYYY-MM-DD)", "must be a whole number", "must be read-write or read-only")
			.doesNotContain("java.", "Failed to convert", "io.transferportal");
		verify(this.requests, never()).submitModify(any(), any(), any(), any(), any());
	}

	@Test
	@WithMockUser(roles = "REQUESTER")
	void aPrivateKeyPastedIntoAChangeIsRefusedOnceAndNotShownAgain() throws Exception {
		given(this.requests.managedUser(SERVER, "alice")).willReturn(Optional.of(alice()));
		String privateKey = RequestControllerTests.privateKey();
		String html = this.mvc
			.perform(post("/users/{serverId}/{userName}/change", SERVER, "alice").with(csrf())
				.param("sshPublicKeys", privateKey)
				.param("ticketRef", "CHG-9"))
			.andExpect(status().isOk())
			.andExpect(view().name("users/changeForm"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).doesNotContain(privateKey.lines().skip(2).findFirst().orElseThrow())
			.doesNotContain("PRIVATE KEY-----")
			.contains("value=\"CHG-9\"");
		assertThat(html.split("This is a private key", -1)).as("one message").hasSize(2);
		verify(this.requests, never()).submitModify(any(), any(), any(), any(), any());
	}

	@Test
	@WithMockUser
	void aDeprovisionedUserShowsNoHealthAndNoChecksButSaysItWasRemoved() throws Exception {
		ManagedUserView alice = alice();
		ManagedUserView removed = new ManagedUserView(SERVER, "alice", false, alice.spec(), List.of(), Health.OK, null,
				43L, ManagedUserView.Lifecycle.NONE);
		given(this.requests.managedUser(SERVER, "alice")).willReturn(Optional.of(removed));
		String html = this.mvc.perform(get("/users/{serverId}/{userName}", SERVER, "alice"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("id=\"deprovisioned\"", "Deprovisioned", "nothing is verified any more")
			.doesNotContain("Health:", "Not verified yet", "badge-ok");
	}

	@Test
	@WithMockUser
	void userDetailsWhenUnknownUserThenNotFound() throws Exception {
		given(this.requests.managedUser(SERVER, "nobody")).willReturn(Optional.empty());
		this.mvc.perform(get("/users/{serverId}/{userName}", SERVER, "nobody")).andExpect(status().isNotFound());
	}

	@Test
	@WithMockUser
	void verifyCallsTheRegisterAndRedirectsBackWithAWarningForDrift() throws Exception {
		given(this.requests.verify(SERVER, "alice", Actor.person("user"))).willReturn(alice());
		this.mvc.perform(post("/users/{serverId}/{userName}/verify", SERVER, "alice").with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/users/s-0123456789abcdef0/alice"))
			// not announced as a success
			.andExpect(flash().attribute("warning", "Verified alice: DRIFT; the checks below say what differs"))
			.andExpect(flash().attributeCount(1));
		verify(this.requests).verify(SERVER, "alice", Actor.person("user"));
	}

	@Test
	@WithMockUser
	void verifyWhenUnknownUserThenNotFound() throws Exception {
		given(this.requests.verify(SERVER, "nobody", Actor.person("user")))
			.willThrow(new RequestNotFoundException("User nobody is not managed"));
		this.mvc.perform(post("/users/{serverId}/{userName}/verify", SERVER, "nobody").with(csrf()))
			.andExpect(status().isNotFound());
	}

	@Test
	@WithMockUser
	void verifyWhenAwsFailsThenRedirectWithError() throws Exception {
		given(this.requests.verify(SERVER, "alice", Actor.person("user")))
			.willThrow(new RequestConflictException("User alice is not managed any more"));
		this.mvc.perform(post("/users/{serverId}/{userName}/verify", SERVER, "alice").with(csrf()))
			.andExpect(redirectedUrl("/users/s-0123456789abcdef0/alice"))
			.andExpect(flash().attribute("error", "User alice is not managed any more"));
	}

	@Test
	@WithMockUser
	void verifyWithoutCsrfTokenThenForbidden() throws Exception {
		this.mvc.perform(post("/users/{serverId}/{userName}/verify", SERVER, "alice"))
			.andExpect(status().isForbidden());
		verifyNoInteractions(this.requests);
	}

	@Test
	@WithMockUser(username = "root", roles = "ADMIN")
	void repairWhenAdminThenSubmitsAndRedirectsToTheRequest() throws Exception {
		RequestView request = request(77);
		given(this.requests.submitRepair(SERVER, "alice", "CHG-1", Actor.person("root"))).willReturn(request);
		this.mvc
			.perform(post("/users/{serverId}/{userName}/repair", SERVER, "alice").param("ticketRef", " CHG-1 ")
				.with(csrf()))
			.andExpect(redirectedUrl("/requests/77"))
			.andExpect(flash().attributeExists("message"));
		verify(this.requests).submitRepair(SERVER, "alice", "CHG-1", Actor.person("root"));
	}

	@Test
	@WithMockUser(username = "root", roles = "ADMIN")
	void repairWhenOpenRequestExistsThenRedirectBackWithError() throws Exception {
		given(this.requests.submitRepair(any(), any(), any(), any()))
			.willThrow(new RequestConflictException("User alice already has an open request"));
		this.mvc.perform(post("/users/{serverId}/{userName}/repair", SERVER, "alice").with(csrf()))
			.andExpect(redirectedUrl("/users/s-0123456789abcdef0/alice"))
			.andExpect(flash().attribute("error", "User alice already has an open request"));
	}

	@Test
	@WithMockUser(roles = { "REQUESTER", "APPROVER" })
	void repairWhenTheModuleRefusesThenForbiddenPageWithTheReason() throws Exception {
		given(this.requests.submitRepair(any(), any(), any(), any()))
			.willThrow(new RequestNotAllowedException("user may not request repairs: that needs the ADMIN role"));
		this.mvc.perform(post("/users/{serverId}/{userName}/repair", SERVER, "alice").with(csrf()))
			.andExpect(status().isForbidden())
			.andExpect(content().string(containsString("that needs the ADMIN role")));
	}

	@Test
	@WithMockUser(username = "root", roles = "ADMIN")
	void deprovisionWhenAdminThenSubmitsWithoutTicketAndRedirectsToTheRequest() throws Exception {
		RequestView request = request(78);
		given(this.requests.submitDeprovision(SERVER, "alice", null, Actor.person("root"))).willReturn(request);
		this.mvc
			.perform(post("/users/{serverId}/{userName}/deprovision", SERVER, "alice").param("ticketRef", "")
				.with(csrf()))
			.andExpect(redirectedUrl("/requests/78"));
		verify(this.requests).submitDeprovision(any(), any(), isNull(), any());
	}

	@Test
	@WithMockUser(roles = "REQUESTER")
	void deprovisionWhenTheModuleRefusesThenForbidden() throws Exception {
		given(this.requests.submitDeprovision(any(), any(), any(), any()))
			.willThrow(new RequestNotAllowedException("user may not request removals"));
		this.mvc.perform(post("/users/{serverId}/{userName}/deprovision", SERVER, "alice").with(csrf()))
			.andExpect(status().isForbidden());
	}

	static ManagedUserView alice() {
		UserSpec spec = new UserSpec(SERVER, "alice", "data-bucket", "/incoming/alice/", KEY_ARN,
				List.of("ssh-ed25519 AAAA1", "ssh-ed25519 AAAA2"), AccessLevel.READ_ONLY,
				"arn:aws:iam::111122223333:role/shared-transfer", Map.of());
		List<Check> checks = List.of(new Check(ResourceKind.BUCKET_ENCRYPTION, CheckStatus.OK, "SSE-KMS with the key"),
				new Check(ResourceKind.ROLE_POLICY, CheckStatus.OK, "In place"),
				new Check(ResourceKind.SESSION_POLICY, CheckStatus.OK, "In place"),
				new Check(ResourceKind.KEY_POLICY, CheckStatus.DRIFT,
						"Statement <script>alert(1)</script> was removed"),
				new Check(ResourceKind.TRANSFER_USER, CheckStatus.OK, "In place"));
		return new ManagedUserView(SERVER, "alice", true, spec, checks, Health.DRIFT,
				Instant.parse("2026-01-02T03:04:05Z"), 42L, ManagedUserView.Lifecycle.NONE);
	}

	static RequestView request(long id) {
		RequestView request = mock(RequestView.class);
		given(request.id()).willReturn(id);
		return request;
	}

}
