package io.transferportal.ticketing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.support.PortalApi;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Each token has its own budget of calls per minute; past it the API answers 429 with
 * Retry-After. The clock stands still, so no token is refilled however slow the machine.
 */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = { "portal.api.requests-per-minute=3", "portal.api.batch-reads-per-minute=5" })
@Import(RateLimitIntegrationTests.StoppedClock.class)
class RateLimitIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Test
	void fourthCallInAMinuteIsRateLimitedPerToken() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.mvc.perform(get("/api/v1/requests").header("Authorization", "Bearer " + PortalApi.REPORTING))
				.andExpect(status().isOk());
		}
		this.mvc.perform(get("/api/v1/requests").header("Authorization", "Bearer " + PortalApi.REPORTING))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", matchesPattern("[1-9][0-9]*")))
			.andExpect(jsonPath("$.type").value("/problems/rate-limited"));
		// another token still has its own budget
		this.mvc.perform(get("/api/v1/requests").header("Authorization", "Bearer " + PortalApi.BOB))
			.andExpect(status().isOk());
	}

	@Test
	void readsOfBatchesHaveABudgetOfTheirOwn() throws Exception {
		// more than the 3 calls of the general budget, and that budget stays untouched
		for (int i = 0; i < 5; i++) {
			this.mvc.perform(get("/api/v1/request-batches").header("Authorization", "Bearer " + PortalApi.CAROL))
				.andExpect(status().isOk());
		}
		this.mvc.perform(get("/api/v1/request-batches").header("Authorization", "Bearer " + PortalApi.CAROL))
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.detail").value(containsString("5 reads of batches per minute")));
		this.mvc.perform(get("/api/v1/requests").header("Authorization", "Bearer " + PortalApi.CAROL))
			.andExpect(status().isOk());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class StoppedClock {

		@Bean
		@Primary
		Clock stoppedClock() {
			return Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC);
		}

	}

}
