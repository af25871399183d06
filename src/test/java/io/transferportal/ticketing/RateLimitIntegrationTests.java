package io.transferportal.ticketing;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Each token has its own budget of calls per minute; past it the API answers 429 with
 * Retry-After.
 */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = "portal.api.requests-per-minute=3")
class RateLimitIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Test
	void fourthCallInAMinuteIsRateLimitedPerToken() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.mvc
				.perform(get("/api/v1/requests").header("Authorization",
						"Bearer " + RequestApiIntegrationTests.REPORTING))
				.andExpect(status().isOk());
		}
		this.mvc
			.perform(get("/api/v1/requests").header("Authorization", "Bearer " + RequestApiIntegrationTests.REPORTING))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", matchesPattern("[1-9][0-9]*")))
			.andExpect(jsonPath("$.type").value("/problems/rate-limited"));
		// another token still has its own budget
		this.mvc.perform(get("/api/v1/requests").header("Authorization", "Bearer " + RequestApiIntegrationTests.BOB))
			.andExpect(status().isOk());
	}

}
