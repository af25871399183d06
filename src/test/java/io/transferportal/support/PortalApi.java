package io.transferportal.support;

import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The REST API as the API tests call it: a bearer token, a JSON body, and a wait for a
 * request's status. The tokens are the test accounts' and API clients' of
 * src/test/resources/config/application.properties.
 */
public final class PortalApi {

	/**
	 * The ticketing system's client: creates, changes and approves on behalf of people.
	 */
	public static final String SERVICENOW = "servicenow-token-0123456789abcdefghijkl";

	/** A read-only client. */
	public static final String REPORTING = "reporting-token-0123456789abcdefghijklm";

	/** A requester. */
	public static final String ALICE = "alice-personal-token-0123456789abcdef";

	/** An approver. */
	public static final String BOB = "bob-personal-token-0123456789abcdefgh";

	/** A requester and approver. */
	public static final String CAROL = "carol-personal-token-0123456789abcdef";

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final MockMvc mvc;

	public PortalApi(MockMvc mvc) {
		this.mvc = mvc;
	}

	/** Performs the request with the token and, unless {@code null}, a JSON body. */
	public ResultActions call(MockHttpServletRequestBuilder request, String token, Object body) throws Exception {
		request.header("Authorization", "Bearer " + token);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(body));
		}
		return this.mvc.perform(request);
	}

	/**
	 * Waits, with a generous ceiling for a loaded machine, until the request has the
	 * status.
	 */
	public void awaitStatus(long id, String expected) {
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			String response = call(get("/api/v1/requests/" + id), REPORTING, null).andReturn()
				.getResponse()
				.getContentAsString();
			assertThat((String) JsonPath.read(response, "$.status")).as(response).isEqualTo(expected);
		});
	}

	/**
	 * Provisions a user as the ticketing system asks for it and an approver approves it:
	 * submitted with {@link #SERVICENOW}'s token, approved with {@link #BOB}'s, waited
	 * for until ACTIVE.
	 * @param body the request's fields
	 * @return the request's id
	 */
	public long provision(Map<String, Object> body) throws Exception {
		long id = id(call(post("/api/v1/requests"), SERVICENOW, body).andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString());
		call(post("/api/v1/requests/" + id + "/approve"), BOB, Map.of()).andExpect(status().isOk());
		awaitStatus(id, "ACTIVE");
		return id;
	}

	/** The id of the request a response shows. */
	public static long id(String response) {
		return ((Number) JsonPath.read(response, "$.id")).longValue();
	}

}
