package io.transferportal.accounts;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.support.PortalIntegrationTest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Single sign-on is off by default (no client registration): no link on the sign-in page
 * and no OAuth 2.0 endpoints. {@link SingleSignOnIntegrationTests} covers it switched on.
 */
@PortalIntegrationTest
class SsoLoginLinksTests {

	@Autowired
	MockMvc mvc;

	@Test
	void loginPageHasNoSingleSignOnLinkWithoutARegistration() throws Exception {
		this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Sign in to the Transfer Portal")))
			.andExpect(content().string(not(containsString("single sign-on"))));
	}

	@Test
	void authorizationEndpointIsJustAnotherProtectedPageWithoutARegistration() throws Exception {
		this.mvc.perform(get("/oauth2/authorization/idp")).andExpect(redirectedUrl("/login"));
	}

}
