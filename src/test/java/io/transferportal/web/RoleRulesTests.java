package io.transferportal.web;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.support.PortalIntegrationTest;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
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

	@Test
	@WithMockUser(username = "nobody", roles = "USER")
	void pagesWhenSignedInWithoutPortalRoleThenForbidden() throws Exception {
		this.mvc.perform(get("/")).andExpect(status().isOk());
		for (String page : new String[] { "/dashboard", "/requests", "/requests/1",
				"/users/s-0123456789abcdef0/alice" }) {
			this.mvc.perform(get(page)).andExpect(status().isForbidden());
		}
		this.mvc.perform(post("/requests").with(csrf())).andExpect(status().isForbidden());
		this.mvc.perform(post("/requests/1/retry").with(csrf())).andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void submitWhenApproverOnlyThenForbidden() throws Exception {
		this.mvc.perform(get("/dashboard")).andExpect(status().isOk());
		this.mvc.perform(get("/requests/new")).andExpect(status().isForbidden());
		this.mvc.perform(post("/requests").with(csrf()).param("userName", "x")).andExpect(status().isForbidden());
	}

}
