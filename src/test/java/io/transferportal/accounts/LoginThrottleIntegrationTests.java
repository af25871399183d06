package io.transferportal.accounts;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.transferportal.support.LifecycleIntegrationTest;
import io.transferportal.support.TestClock;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/**
 * A paused sign-in ends by the portal's clock, not by a lock someone must lift: one
 * attempt comes back after a fifth of the 15-minute period.
 */
@LifecycleIntegrationTest
class LoginThrottleIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AccountManagement accounts;

	@Autowired
	TestClock clock;

	@BeforeEach
	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void aPausedNameMaySignInAgainOnceAnAttemptHasComeBack() throws Exception {
		this.accounts.create("patient", "patient-password", Set.of(PortalRole.REQUESTER));
		for (int i = 0; i < 5; i++) {
			signIn("patient", "wrong-password").andExpect(redirectedUrl("/login?error"));
		}
		signIn("patient", "patient-password").andExpect(unauthenticated());
		this.clock.advance(Duration.ofMinutes(3).plusSeconds(5));
		signIn("patient", "patient-password").andExpect(authenticated().withUsername("patient"));
	}

	private ResultActions signIn(String username, String password) throws Exception {
		return this.mvc.perform(
				post("/login").param("username", username).param("password", password).with(csrf()).with((request) -> {
					request.setRemoteAddr("192.0.2.40");
					return request;
				}));
	}

}
