package io.transferportal.accounts;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.servlet.resource.ResourceUrlProvider;

import io.transferportal.support.PortalIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.logout;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Sign-in, its throttle, CSRF, session fixation, headers and URL rules, against the
 * accounts the test configuration creates at start-up (alice, bob, carol, admin). The
 * throttle lasts across methods (and classes sharing the context), so tests that fail
 * sign-ins use fresh names and an address of their own.
 */
@PortalIntegrationTest
class SecurityConfigurationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AccountManagement accounts;

	@Autowired
	AccountRepository repository;

	@Autowired
	AccountBootstrap bootstrap;

	@Autowired
	ResourceUrlProvider resourceUrls;

	/**
	 * Static files live under /css only ({@code spring.mvc.static-path-pattern}), so the
	 * links a page renders are not looked up on the class path; the stylesheets still
	 * load before sign-in.
	 */
	@Test
	void stylesheetsAreServedBeforeSignInFromTheirOwnPaths() throws Exception {
		this.mvc.perform(get("/css/portal.css"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/css"));
		this.mvc.perform(get("/webjars/bootstrap/css/bootstrap.min.css"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/css"));
		// the icon every page links, before sign-in too
		this.mvc.perform(get("/css/favicon.svg"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("image/svg+xml"));
		this.mvc.perform(get("/login"))
			.andExpect(content()
				.string(containsString("<link rel=\"icon\" type=\"image/svg+xml\" href=\"/css/favicon.svg\">")));
		// the resource URL filter resolves only links under static patterns, not every
		// link a page renders (Boot's default catch-all /** is gone)
		assertThat(this.resourceUrls.getHandlerMap()).containsKeys("/css/**", "/webjars/**").doesNotContainKey("/**");
	}

	@Test
	void formLoginWhenValidCredentialsThenAuthenticatedAndRedirectedHome() throws Exception {
		this.mvc.perform(formLogin().user("alice").password("alice-password"))
			.andExpect(authenticated().withUsername("alice"))
			.andExpect(redirectedUrl("/"));
	}

	@Test
	void formLoginWhenWrongPasswordThenLoginError() throws Exception {
		signIn("bob", "wrong-password", "192.0.2.10").andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));
	}

	/**
	 * Five attempts spent: even the right password gets the answer a wrong one gets, and
	 * the administrators' list says until when.
	 */
	@Test
	void formLoginWhenTooManyAttemptsThenPausedWithTheSameAnswerEvenForTheRightPassword() throws Exception {
		this.accounts.create("pause-me", "pause-me-password", Set.of(PortalRole.REQUESTER));
		for (int i = 0; i < 5; i++) {
			signIn("pause-me", "wrong-password", "192.0.2.11").andExpect(redirectedUrl("/login?error"));
		}
		signIn("pause-me", "pause-me-password", "192.0.2.12").andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));
		assertThat(this.accounts.list()).filteredOn((account) -> account.username().equals("pause-me"))
			.singleElement()
			.satisfies((account) -> assertThat(account.signInPausedUntil()).isNotNull());
	}

	/**
	 * An attacker who types wrong passwords for a name learns nothing from the answers:
	 * for an account and for a name nobody has, every answer (status, location, cookies,
	 * body) is the same, before and after the pause.
	 */
	@Test
	void formLoginAnswersAKnownAndAnUnknownNameAlike() throws Exception {
		this.accounts.create("known-name", "known-name-password", Set.of(PortalRole.APPROVER));
		for (int i = 0; i < 7; i++) {
			MvcResult known = signIn("known-name", "wrong-password", "192.0.2.13").andReturn();
			MvcResult unknown = signIn("unknown-name", "wrong-password", "192.0.2.14").andReturn();
			assertThat(answer(known)).as("attempt %d", i + 1).isEqualTo(answer(unknown));
		}
	}

	/**
	 * Wrong passwords typed by anybody never cut off the account's API token: the
	 * approver's ticketing integration keeps working.
	 */
	@Test
	void formLoginPausedNeverAffectsTheAccountsApiToken() throws Exception {
		String token = "paused-person-token-0123456789abcdefgh";
		this.accounts.ensureExists("token-keeper", "token-keeper-password", Set.of(PortalRole.REQUESTER), token);
		for (int i = 0; i < 8; i++) {
			signIn("token-keeper", "wrong-password", "192.0.2.15");
		}
		assertThat(this.accounts.current("token-keeper")).get()
			.satisfies((account) -> assertThat(account.signInPausedUntil()).isNotNull());
		this.mvc.perform(get("/api/v1/requests").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
	}

	/**
	 * One address spraying many names is stopped after its own limit (50), also for a
	 * name it never tried; another address is not affected.
	 */
	@Test
	void formLoginFromAnAddressThatSprayedNamesIsPaused() throws Exception {
		this.accounts.create("sprayed-at", "sprayed-at-password", Set.of(PortalRole.REQUESTER));
		for (int i = 0; i < 50; i++) {
			signIn("spray-" + i, "wrong-password", "198.51.100.20").andExpect(redirectedUrl("/login?error"));
		}
		signIn("sprayed-at", "sprayed-at-password", "198.51.100.20").andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));
		signIn("sprayed-at", "sprayed-at-password", "198.51.100.21")
			.andExpect(authenticated().withUsername("sprayed-at"));
	}

	@Test
	void formLoginWhenSuccessBetweenFailuresThenAttemptsComeBack() throws Exception {
		this.accounts.create("forgetful", "forgetful-password", Set.of(PortalRole.REQUESTER));
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < 4; i++) {
				signIn("forgetful", "wrong-password", "192.0.2.16").andExpect(redirectedUrl("/login?error"));
			}
			signIn("forgetful", "forgetful-password", "192.0.2.16")
				.andExpect(authenticated().withUsername("forgetful"));
		}
	}

	@Test
	void formLoginWhenPausedAndPasswordResetThenSignsIn() throws Exception {
		this.accounts.create("reset-me", "reset-me-password", Set.of(PortalRole.REQUESTER));
		for (int i = 0; i < 5; i++) {
			signIn("reset-me", "wrong-password", "192.0.2.17");
		}
		this.accounts.resetPassword("reset-me", "brand-new-password");
		assertThat(this.accounts.current("reset-me")).get()
			.satisfies((account) -> assertThat(account.signInPausedUntil()).isNull());
		signIn("reset-me", "brand-new-password", "192.0.2.17").andExpect(authenticated().withUsername("reset-me"));
	}

	@Test
	void formLoginWhenUnknownUserThenLoginErrorAndNothingStored() throws Exception {
		for (int i = 0; i < 6; i++) {
			signIn("mallory", "any-password", "192.0.2.18").andExpect(unauthenticated())
				.andExpect(redirectedUrl("/login?error"));
		}
		assertThat(this.repository.findByUsername("mallory")).isEmpty();
	}

	@Test
	void formLoginWhenDisabledThenTheSameLoginError() throws Exception {
		this.accounts.create("departed", "departed-password", Set.of(PortalRole.REQUESTER));
		this.accounts.setEnabled("departed", false);
		signIn("departed", "departed-password", "192.0.2.19").andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));
	}

	@Test
	void loginWhenNoCsrfTokenThenForbidden() throws Exception {
		this.mvc.perform(post("/login").param("username", "alice").param("password", "alice-password"))
			.andExpect(status().isForbidden())
			.andExpect(unauthenticated());
	}

	@Test
	void logoutWhenNoCsrfTokenThenForbidden() throws Exception {
		this.mvc.perform(post("/logout").with(user("alice").roles("REQUESTER"))).andExpect(status().isForbidden());
	}

	@Test
	void logoutWhenPostedWithCsrfTokenThenSignedOut() throws Exception {
		this.mvc.perform(logout()).andExpect(redirectedUrl("/login?logout")).andExpect(unauthenticated());
	}

	@Test
	void loginWhenSessionExistsThenSessionIdChanges() throws Exception {
		MockHttpSession session = new MockHttpSession();
		String before = session.getId();
		MvcResult result = this.mvc
			.perform(post("/login").session(session)
				.param("username", "carol")
				.param("password", "carol-password")
				.with(csrf()))
			.andExpect(authenticated().withUsername("carol"))
			.andReturn();
		assertThat(result.getRequest().getSession(false)).isNotNull();
		assertThat(result.getRequest().getSession(false).getId()).isNotEqualTo(before);
	}

	@Test
	void homeWhenAnonymousThenRedirectsToLoginPage() throws Exception {
		this.mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
	}

	@Test
	void loginPageWhenAnonymousThenShownWithCsrfField() throws Exception {
		this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("<label for=\"username\" class=\"form-label\">")))
			.andExpect(content().string(containsString("autocomplete=\"current-password\"")))
			.andExpect(content().string(containsString("name=\"_csrf\"")));
	}

	@Test
	void loginPageWhenErrorThenGenericMessage() throws Exception {
		this.mvc.perform(get("/login").param("error", ""))
			.andExpect(content().string(containsString(
					"Wrong user name or password. After several failed attempts, sign-in pauses for a few minutes.")));
		// no separate message that only an existing account could get
		this.mvc.perform(get("/login").param("locked", "")).andExpect(content().string(not(containsString("locked"))));
		this.mvc.perform(get("/login").param("logout", ""))
			.andExpect(content().string(containsString("You have signed out.")));
	}

	private ResultActions signIn(String username, String password, String address) throws Exception {
		return this.mvc.perform(
				post("/login").param("username", username).param("password", password).with(csrf()).with((request) -> {
					request.setRemoteAddr(address);
					return request;
				}));
	}

	/** What a client sees of a sign-in's answer. */
	private static String answer(MvcResult result) throws Exception {
		return result.getResponse().getStatus() + " " + result.getResponse().getRedirectedUrl() + " "
				+ result.getResponse().getHeaderNames() + " " + result.getResponse().getContentAsString();
	}

	@Test
	void healthWhenAnonymousThenPublic() throws Exception {
		this.mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
	}

	@Test
	void homeWhenSignedInThenShowsNameRolesAndSignOutForm() throws Exception {
		MvcResult login = this.mvc.perform(formLogin().user("alice").password("alice-password")).andReturn();
		MockHttpSession session = (MockHttpSession) login.getRequest().getSession(false);
		this.mvc.perform(get("/").session(session))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Signed in as <strong>alice</strong>")))
			.andExpect(content().string(containsString("REQUESTER")))
			.andExpect(content().string(not(containsString("FACTOR_"))))
			.andExpect(content().string(containsString("action=\"/logout\"")))
			.andExpect(content().string(containsString("name=\"_csrf\"")));
	}

	@Test
	void homeWhenNameContainsMarkupThenEscaped() throws Exception {
		// no account can have such a name; a single sign-on provider could send one
		this.mvc.perform(get("/").with(oidcLogin().idToken((token) -> token.subject("<b>eve</b>"))))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("&lt;b&gt;eve&lt;/b&gt;")))
			.andExpect(content().string(not(containsString("<b>eve</b>"))));
	}

	@Test
	void responseWhenAnyPageThenStrictSecurityHeaders() throws Exception {
		this.mvc.perform(get("/login"))
			.andExpect(header().string("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY))
			.andExpect(header().string("Content-Security-Policy", not(containsString("unsafe-inline"))))
			.andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"));
	}

	@Test
	void adminWhenRequesterThenForbidden() throws Exception {
		MvcResult login = this.mvc.perform(formLogin().user("alice").password("alice-password")).andReturn();
		MockHttpSession session = (MockHttpSession) login.getRequest().getSession(false);
		this.mvc.perform(get("/admin/anything").session(session)).andExpect(status().isForbidden());
	}

	@Test
	void adminWhenAdminThenAllowedThrough() throws Exception {
		// no admin pages exist yet: getting past security means "not found", not
		// "forbidden"
		this.mvc.perform(get("/admin/anything").with(user("admin").roles("ADMIN"))).andExpect(status().isNotFound());
	}

	@Test
	void storedPasswordsWhenBootstrappedThenBcryptHashesNeverTheRawPassword() {
		for (String name : new String[] { "alice", "bob", "carol", "admin" }) {
			Account account = this.repository.findByUsername(name).orElseThrow();
			assertThat(account.getPasswordHash()).startsWith("{bcrypt}").isNotEqualTo(name + "-password");
		}
		assertThat(this.repository.findByUsername("admin").orElseThrow().getRoles()).containsExactly(PortalRole.ADMIN);
		assertThat(this.repository.findByUsername("carol").orElseThrow().getRoles())
			.containsExactly(PortalRole.REQUESTER, PortalRole.APPROVER);
	}

	@Test
	void bootstrapWhenRunAgainThenExistingAccountsUnchanged() throws Exception {
		String carolHash = this.repository.findByUsername("carol").orElseThrow().getPasswordHash();
		this.bootstrap.run(new DefaultApplicationArguments());
		assertThat(this.accounts.ensureExists("carol", "another-password", Set.of(PortalRole.ADMIN), null)).isFalse();
		Account carol = this.repository.findByUsername("carol").orElseThrow();
		assertThat(carol.getPasswordHash()).isEqualTo(carolHash);
		assertThat(carol.getRoles()).containsExactly(PortalRole.REQUESTER, PortalRole.APPROVER);

		assertThat(this.accounts.ensureExists("frank", "first-password", Set.of(PortalRole.REQUESTER), null)).isTrue();
		this.accounts.resetPassword("frank", "changed-password");
		assertThat(this.accounts.ensureExists("frank", "first-password", Set.of(PortalRole.REQUESTER), null)).isFalse();
		this.mvc.perform(formLogin().user("frank").password("changed-password"))
			.andExpect(authenticated().withUsername("frank"));
		this.mvc.perform(formLogin().user("frank").password("first-password")).andExpect(redirectedUrl("/login?error"));
	}

}
