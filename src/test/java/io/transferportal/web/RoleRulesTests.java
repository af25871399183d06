package io.transferportal.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.OidcLoginRequestPostProcessor;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.support.PortalIntegrationTest;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who may open which page: a signed-in person without a portal role sees only the home
 * page.
 */
@PortalIntegrationTest
class RoleRulesTests {

	@Autowired
	MockMvc mvc;

	// only a single sign-on user can be signed in without a portal role (an account has
	// at least one, and a session whose account is gone ends)
	@Test
	void pagesWhenSignedInWithoutPortalRoleThenForbidden() throws Exception {
		OidcLoginRequestPostProcessor nobody = oidcLogin().idToken((token) -> token.subject("nobody"));
		this.mvc.perform(get("/").with(nobody)).andExpect(status().isOk());
		for (String page : new String[] { "/dashboard", "/requests", "/requests/1",
				"/users/s-0123456789abcdef0/alice" }) {
			this.mvc.perform(get(page).with(nobody)).andExpect(status().isForbidden());
		}
		this.mvc.perform(post("/requests").with(nobody).with(csrf())).andExpect(status().isForbidden());
		this.mvc.perform(post("/requests/1/retry").with(nobody).with(csrf())).andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void submitWhenApproverOnlyThenForbidden() throws Exception {
		this.mvc.perform(get("/dashboard")).andExpect(status().isOk());
		this.mvc.perform(get("/requests/new")).andExpect(status().isForbidden());
		this.mvc.perform(post("/requests").with(csrf()).param("userName", "x")).andExpect(status().isForbidden());
	}

}
