package io.transferportal.accounts;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A single sign-on user has no account to read again: the session lasts as long as the
 * provider's ID token, and then a fresh sign-in brings the groups as they are now.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SsoSessionTests {

	@Autowired
	MockMvc mvc;

	@Test
	void pageWhenIdTokenValidThenServedWithTheGroupsRoles() throws Exception {
		Instant now = Instant.now();
		this.mvc.perform(get("/dashboard").with(oidcLogin()
			.idToken((token) -> token.subject("dave").issuedAt(now.minusSeconds(60)).expiresAt(now.plusSeconds(600)))
			.authorities(new SimpleGrantedAuthority(PortalRole.APPROVER.authority())))).andExpect(status().isOk());
	}

	@Test
	void pageWhenIdTokenExpiredThenSignedOut() throws Exception {
		Instant now = Instant.now();
		this.mvc
			.perform(get("/dashboard").with(oidcLogin()
				.idToken(
						(token) -> token.subject("dave").issuedAt(now.minusSeconds(600)).expiresAt(now.minusSeconds(1)))
				.authorities(new SimpleGrantedAuthority(PortalRole.APPROVER.authority()))))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/login"));
	}

}
