package io.transferportal.ticketing;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Periodic access reviews are off by default: both doors say so, and nothing is reviewed.
 */
@PortalIntegrationTest
class ReviewsOffIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Test
	void aReviewIsAConflictThroughBothDoorsAndNothingIsDue() throws Exception {
		this.mvc
			.perform(post("/api/v1/users/s-0123456789abcdef0/nina/review")
				.header("Authorization", "Bearer " + PortalApi.BOB)
				.contentType(MediaType.APPLICATION_JSON)
				.content(JsonMapper.builder().build().writeValueAsString(Map.of("decision", "CONFIRM"))))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("/problems/conflict"))
			.andExpect(jsonPath("$.detail", containsString("Periodic access reviews are off")));
		this.mvc.perform(get("/api/v1/users/reviews").header("Authorization", "Bearer " + PortalApi.REPORTING))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items", hasSize(0)));

		MvcResult signIn = this.mvc
			.perform(post("/login").param("username", "bob").param("password", "bob-password").with(csrf()))
			.andReturn();
		MockHttpSession bob = (MockHttpSession) signIn.getRequest().getSession(false);
		this.mvc.perform(get("/reviews").session(bob))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Periodic access reviews are off")));
		MvcResult refused = this.mvc
			.perform(post("/reviews/s-0123456789abcdef0/nina").param("decision", "CONFIRM").session(bob).with(csrf()))
			.andExpect(flash().attributeExists("refused"))
			.andReturn();
		assertThat(refused.getFlashMap().get("refused").toString()).contains("Periodic access reviews are off");
	}

}
