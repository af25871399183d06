package io.transferportal.web;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.AccountSummary;
import io.transferportal.accounts.PortalRole;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.ticketing.ApiClientManagement;
import io.transferportal.ticketing.ApiClientSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

/**
 * Administrators manage accounts and API clients; what they change takes effect at
 * sign-in and on the API. Sign-in checks run without a mock user (a mock user's security
 * context would outlive a failed sign-in), so the administrator's requests there carry
 * {@link #admin()} instead of {@link WithMockUser}.
 */
@PortalIntegrationTest
class AdminControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AccountManagement accounts;

	@Autowired
	ApiClientManagement apiClients;

	// ---- accounts
	// ----------------------------------------------------------------------------------------------

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void accountListShowsAccountsAndTheirState() throws Exception {
		this.mvc.perform(get("/admin/accounts"))
			.andExpect(status().isOk())
			.andExpect(view().name("admin/accountList"))
			.andExpect(content()
				.string(matchesPattern("(?s).*<td[^>]*>carol</td>\\s*<td[^>]*>REQUESTER, APPROVER</td>.*")))
			.andExpect(content().string(containsString("<label for=\"username\"")))
			.andExpect(content().string(containsString("<legend class=\"form-label fs-6\">Roles</legend>")))
			.andExpect(content().string(containsString("href=\"/admin/api-clients\"")));
	}

	@Test
	void createAccountThenTheNewAccountSignsIn() throws Exception {
		String name = unique("dave");
		this.mvc
			.perform(post("/admin/accounts").with(admin())
				.with(csrf())
				.param("username", name)
				.param("password", "dave-password")
				.param("roles", "REQUESTER", "APPROVER"))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/admin/accounts"))
			.andExpect(flash().attribute("message", "Account '" + name + "' created."));
		this.mvc.perform(formLogin("/login").user(name).password("dave-password"))
			.andExpect(authenticated().withUsername(name).withRoles("REQUESTER", "APPROVER"));
	}

	@Test
	void disableAccountThenSignInFailsAndEnableLetsItIn() throws Exception {
		String name = created("erin");
		enabled(name, false).andExpect(flash().attribute("message", "Account '" + name + "' disabled."));
		this.mvc.perform(formLogin("/login").user(name).password("first-password")).andExpect(unauthenticated());
		assertThat(summary(name).enabled()).isFalse();
		enabled(name, true);
		this.mvc.perform(formLogin("/login").user(name).password("first-password"))
			.andExpect(authenticated().withUsername(name));
	}

	@Test
	void resetPasswordThenOnlyTheNewPasswordSignsIn() throws Exception {
		String name = created("frank");
		this.mvc
			.perform(post("/admin/accounts/{username}/password", name).with(admin())
				.with(csrf())
				.param("password", "second-password"))
			.andExpect(redirectedUrl("/admin/accounts"))
			.andExpect(flash().attributeExists("message"));
		this.mvc.perform(formLogin("/login").user(name).password("first-password")).andExpect(unauthenticated());
		this.mvc.perform(formLogin("/login").user(name).password("second-password"))
			.andExpect(authenticated().withUsername(name));
	}

	@Test
	void resetPasswordWhenTooShortThenErrorAndOldPasswordStillWorks() throws Exception {
		String name = created("gina");
		this.mvc
			.perform(
					post("/admin/accounts/{username}/password", name).with(admin()).with(csrf()).param("password", "x"))
			.andExpect(redirectedUrl("/admin/accounts"))
			.andExpect(flash().attribute("error", "A password needs at least 8 characters"));
		this.mvc.perform(formLogin("/login").user(name).password("first-password"))
			.andExpect(authenticated().withUsername(name));
	}

	@Test
	void changeRolesThenListAndSignInShowTheNewRoles() throws Exception {
		String name = created("hank");
		this.mvc
			.perform(post("/admin/accounts/{username}/roles", name).with(admin())
				.with(csrf())
				.param("roles", "APPROVER", "ADMIN"))
			.andExpect(redirectedUrl("/admin/accounts"))
			.andExpect(flash().attribute("message", "Roles of '" + name + "' changed."));
		this.mvc.perform(get("/admin/accounts").with(admin()))
			.andExpect(content()
				.string(matchesPattern("(?s).*<td[^>]*>" + name + "</td>\\s*<td[^>]*>APPROVER, ADMIN</td>.*")));
		this.mvc.perform(formLogin("/login").user(name).password("first-password"))
			.andExpect(authenticated().withUsername(name).withRoles("APPROVER", "ADMIN"));
	}

	@Test
	void changeRolesWhenNoneThenErrorAndRolesKept() throws Exception {
		String name = created("ivy");
		this.mvc.perform(post("/admin/accounts/{username}/roles", name).with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/accounts"))
			.andExpect(flash().attribute("error", "An account needs at least one role"));
		assertThat(summary(name).roles()).containsExactly(PortalRole.REQUESTER);
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void administratorsCannotLockThemselvesOut() throws Exception {
		this.mvc.perform(post("/admin/accounts/admin/enabled").with(csrf()).param("enabled", "false"))
			.andExpect(flash().attribute("error", "You cannot disable your own account."));
		this.mvc.perform(post("/admin/accounts/admin/roles").with(csrf()).param("roles", "REQUESTER"))
			.andExpect(flash().attribute("error", "You cannot take the ADMIN role from your own account."));
		assertThat(summary("admin").enabled()).isTrue();
		assertThat(summary("admin").roles()).containsExactly(PortalRole.ADMIN);
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void createAccountWhenInvalidThenErrorsNextToFieldsAndNothingCreated() throws Exception {
		int before = this.accounts.list().size();
		this.mvc.perform(post("/admin/accounts").with(csrf()).param("username", "<b>x").param("password", "short"))
			.andExpect(status().isOk())
			.andExpect(view().name("admin/accountList"))
			.andExpect(model().attributeHasFieldErrors("accountForm", "username", "password", "roles"))
			.andExpect(content().string(containsString("id=\"username-error\"")))
			.andExpect(content().string(containsString("A password has 8 to 72 characters")))
			.andExpect(content().string(containsString("Choose at least one role")))
			.andExpect(content().string(containsString("value=\"&lt;b&gt;x\"")))
			.andExpect(content().string(not(containsString("value=\"short\""))));
		// a role that does not exist (only a crafted request sends one)
		this.mvc
			.perform(post("/admin/accounts").with(csrf())
				.param("username", "zed-crafted")
				.param("password", "long-enough")
				.param("roles", "ROOT"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("accountForm", "roles"))
			.andExpect(content().string(containsString("id=\"roles-error\"")));
		assertThat(this.accounts.list()).hasSize(before);
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void createAccountWhenNameTakenThenFormError() throws Exception {
		this.mvc
			.perform(post("/admin/accounts").with(csrf())
				.param("username", "Alice")
				.param("password", "long-enough")
				.param("roles", "ADMIN"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasErrors("accountForm"))
			.andExpect(content().string(containsString("An account named &#39;Alice&#39; already exists")));
		assertThat(this.accounts.list()).noneMatch((account) -> account.username().equals("Alice"));
	}

	// ---- API clients
	// -------------------------------------------------------------------------------------------

	@Test
	void createApiClientShowsTheTokenOnceAndItWorksUntilRevoked() throws Exception {
		// no mock user here: its security context would also reach the API calls
		String name = unique("jira");
		MvcResult posted = this.mvc
			.perform(post("/admin/api-clients").with(admin())
				.with(csrf())
				.param("name", name)
				.param("scopes", "requests:read")
				.param("callbackSecret", "a-callback-secret"))
			.andExpect(redirectedUrl("/admin/api-clients/created"))
			.andReturn();
		assertThat(posted.getResponse().getContentAsString()).as("nothing of the token in the redirect").isEmpty();
		assertThat(posted.getResponse().getHeader(HttpHeaders.LOCATION)).doesNotContain("tp_");
		MvcResult created = this.mvc
			.perform(get("/admin/api-clients/created").with(admin()).flashAttrs(posted.getFlashMap()))
			.andExpect(status().isOk())
			.andExpect(view().name("admin/apiClientCreated"))
			.andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store")))
			.andExpect(content().string(containsString("It will not be shown again")))
			.andReturn();
		String token = (String) created.getModelAndView().getModel().get("token");
		assertThat(token).startsWith("tp_");
		assertThat(created.getResponse().getContentAsString()).contains("value=\"" + token + "\"");
		this.mvc.perform(get("/api/v1/requests").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
			.andExpect(status().isOk());
		this.mvc.perform(get("/admin/api-clients/created").with(admin()))
			.andExpect(redirectedUrl("/admin/api-clients"))
			.andExpect(flash().attribute("warning", containsString("shown only once")));
		this.mvc.perform(get("/admin/api-clients").with(admin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(name)))
			.andExpect(content().string(not(containsString(token))))
			.andExpect(content().string(not(containsString("a-callback-secret"))));
		this.mvc.perform(post("/admin/api-clients/{name}/revoke", name).with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/api-clients"))
			.andExpect(flash().attributeExists("message"));
		assertThat(this.apiClients.list()).filteredOn((client) -> client.name().equals(name))
			.singleElement()
			.extracting(ApiClientSummary::enabled)
			.isEqualTo(false);
		this.mvc.perform(get("/api/v1/requests").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
			.andExpect(status().isUnauthorized());
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void createApiClientWhenInvalidThenErrorsNextToFieldsAndNothingCreated() throws Exception {
		int before = this.apiClients.list().size();
		this.mvc.perform(post("/admin/api-clients").with(csrf()).param("name", "x y"))
			.andExpect(status().isOk())
			.andExpect(view().name("admin/apiClientList"))
			.andExpect(model().attributeHasFieldErrors("apiClientForm", "name", "scopes"))
			.andExpect(content().string(containsString("id=\"name-error\"")))
			.andExpect(content().string(containsString("Choose at least one scope")));
		this.mvc.perform(post("/admin/api-clients").with(csrf()).param("name", "ok-name").param("scopes", "admin:all"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasErrors("apiClientForm"));
		assertThat(this.apiClients.list()).hasSize(before);
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void createApiClientWhenNameTakenThenFieldError() throws Exception {
		this.mvc.perform(
				post("/admin/api-clients").with(csrf()).param("name", "servicenow").param("scopes", "requests:read"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("apiClientForm", "name"))
			.andExpect(content().string(containsString("An API client named &#39;servicenow&#39; already exists")));
	}

	// ---- access
	// ------------------------------------------------------------------------------------------------

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void adminPagesWhenNotAdminThenForbidden() throws Exception {
		for (String page : new String[] { "/admin/accounts", "/admin/api-clients", "/admin/audit" }) {
			this.mvc.perform(get(page)).andExpect(status().isForbidden());
		}
		this.mvc.perform(post("/admin/accounts").with(csrf()).param("username", "mallory"))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/accounts/bob/roles").with(csrf()).param("roles", "ADMIN"))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/accounts/alice/enabled").with(csrf()).param("enabled", "false"))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/accounts/alice/password").with(csrf()).param("password", "long-enough"))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/api-clients").with(csrf()).param("name", "mallory"))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/api-clients/servicenow/revoke").with(csrf())).andExpect(status().isForbidden());
		assertThat(summary("bob").roles()).containsExactly(PortalRole.APPROVER);
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void adminActionsWhenNoCsrfTokenThenForbidden() throws Exception {
		this.mvc.perform(post("/admin/api-clients/reporting/revoke")).andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/accounts/alice/enabled").param("enabled", "false"))
			.andExpect(status().isForbidden());
		assertThat(summary("alice").enabled()).isTrue();
	}

	private static RequestPostProcessor admin() {
		return user("admin").roles("ADMIN");
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * A new REQUESTER account with the password {@code first-password}, created through
	 * the page.
	 */
	private String created(String prefix) throws Exception {
		String name = unique(prefix);
		this.mvc
			.perform(post("/admin/accounts").with(admin())
				.with(csrf())
				.param("username", name)
				.param("password", "first-password")
				.param("roles", "REQUESTER"))
			.andExpect(redirectedUrl("/admin/accounts"));
		return name;
	}

	private ResultActions enabled(String name, boolean enabled) throws Exception {
		return this.mvc
			.perform(post("/admin/accounts/{username}/enabled", name).with(admin())
				.with(csrf())
				.param("enabled", String.valueOf(enabled)))
			.andExpect(redirectedUrl("/admin/accounts"));
	}

	private AccountSummary summary(String name) {
		return this.accounts.list()
			.stream()
			.filter((account) -> account.username().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
