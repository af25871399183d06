package io.transferportal.ticketing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditTrail;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.RequestStatus;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Hostile input in every string field, and broken requests: always a 4xx problem
 * document, never a 5xx, never a stack trace or class name, and no AWS write.
 */
@PortalIntegrationTest
class HostileInputIntegrationTests {

	static final String TOKEN = "Bearer " + PortalApi.SERVICENOW;

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final List<String> HOSTILE = List.of("abc\u0000def", "line\r\nInjected-Header: x",
			"'; DROP TABLE access_request; --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}",
			"../../../etc/passwd", "\u202Egnp.exe", "x".repeat(5000), "%00%0d%0a", "{{7*7}}[[${7*7}]]");

	static final List<String> FIELDS = List.of("ticketRef", "serverId", "userName", "bucket", "homePrefix", "kmsKeyArn",
			"sshPublicKeys", "roleArn", "tagKey", "tagValue", "callbackUrl");

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	AuditTrail audit;

	static String server;

	static String bucket;

	static String key;

	/**
	 * One server, bucket and key for the whole class: the hostile requests never reach
	 * them.
	 */
	@BeforeAll
	static void fixtures(@Autowired AwsFixtures aws) {
		server = aws.sftpServer();
		bucket = aws.bucket();
		key = aws.rootDelegatingKey();
	}

	@BeforeEach
	void forgetCalls() {
		this.recorder.reset();
	}

	static Stream<Arguments> hostileFields() {
		List<Arguments> cases = new ArrayList<>();
		for (String field : FIELDS) {
			for (int i = 0; i < HOSTILE.size(); i++) {
				cases.add(arguments(field, i));
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} #{1}")
	@MethodSource("hostileFields")
	void hostileValueInAnyFieldIsA4xxProblemAndWritesNothing(String field, int index) throws Exception {
		Map<String, Object> body = valid("HOSTILE-" + field + "-" + index);
		body.put("userName", "hostile-" + field.toLowerCase(java.util.Locale.ROOT) + "-" + index);
		String value = HOSTILE.get(index);
		switch (field) {
			case "sshPublicKeys" -> body.put(field, List.of(value));
			case "tagKey" -> body.put("tags", Map.of(value, "v"));
			case "tagValue" -> body.put("tags", Map.of("k", value));
			default -> body.put(field, value);
		}

		MvcResult result = this.mvc
			.perform(post("/api/v1/requests").header("Authorization", TOKEN)
				.contentType(MediaType.APPLICATION_JSON)
				.content(JSON.writeValueAsString(body)))
			.andReturn();

		if (field.startsWith("tag") && value.startsWith("../")) {
			// '.' and '/' are legal in AWS tags: a path-like tag is data, stored as given
			// and never interpreted
			assertThat(result.getResponse().getStatus()).isEqualTo(201);
		}
		else {
			assertProblem(result, 400);
		}
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void oversizedBodyIs413() throws Exception {
		Map<String, Object> body = valid("BIG-1");
		body.put("sshPublicKeys", List.of("x".repeat(70_000)));
		assertProblem(this.mvc
			.perform(post("/api/v1/requests").header("Authorization", TOKEN)
				.contentType(MediaType.APPLICATION_JSON)
				.content(JSON.writeValueAsString(body)))
			.andReturn(), 413);
	}

	@Test
	void wrongContentTypeIs415() throws Exception {
		assertProblem(this.mvc
			.perform(post("/api/v1/requests").header("Authorization", TOKEN)
				.contentType(MediaType.TEXT_PLAIN)
				.content("ticketRef=x"))
			.andReturn(), 415);
	}

	@Test
	void malformedJsonUnknownFieldsAndWrongTypesAre400() throws Exception {
		for (String json : List.of("{\"ticketRef\": ", "[1,2,3]", "{\"ticketRef\":\"T-1\",\"isAdmin\":true}",
				"{\"ticketRef\":\"T-1\",\"sshPublicKeys\":\"not-a-list\"}",
				"{\"ticketRef\":\"T-1\",\"accessLevel\":\"ROOT\"}")) {
			assertProblem(this.mvc
				.perform(post("/api/v1/requests").header("Authorization", TOKEN)
					.contentType(MediaType.APPLICATION_JSON)
					.content(json))
				.andReturn(), 400);
		}
	}

	/**
	 * The longest reason the API accepts, made of the character that JSON doubles: it
	 * travels in the stored status-change event (on H2 once a {@code varchar(4000)} that
	 * overflowed into a 409 about someone else's change) and in the audit record.
	 */
	@Test
	void theLongestReasonMadeOfQuotesIsStoredWhole() throws Exception {
		Map<String, Object> body = valid("QUOTES-1");
		body.put("userName", "quotes-reason");
		String created = this.mvc
			.perform(post("/api/v1/requests").header("Authorization", TOKEN)
				.contentType(MediaType.APPLICATION_JSON)
				.content(JSON.writeValueAsString(body)))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = PortalApi.id(created);
		String reason = "\"".repeat(1990) + "\\".repeat(10);

		MvcResult rejected = this.mvc
			.perform(post("/api/v1/requests/" + id + "/reject").header("Authorization", "Bearer " + PortalApi.BOB)
				.contentType(MediaType.APPLICATION_JSON)
				.content(JSON.writeValueAsString(Map.of("reason", reason))))
			.andReturn();

		assertThat(rejected.getResponse().getStatus()).as(rejected.getResponse().getContentAsString()).isEqualTo(200);
		assertThat(this.requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.REJECTED);
		assertThat(this.requests.find(id).orElseThrow().decisions()).singleElement()
			.satisfies((decision) -> assertThat(decision.comment()).isEqualTo(reason));
		assertThat(this.audit.search(AuditFilter.forRequest(id), 100))
			.filteredOn((record) -> "REJECTED".equals(record.action()))
			.singleElement()
			.satisfies((record) -> assertThat(record.detail()).endsWith(": " + reason));

		MvcResult tooLong = this.mvc
			.perform(post("/api/v1/requests/" + id + "/reject").header("Authorization", "Bearer " + PortalApi.BOB)
				.contentType(MediaType.APPLICATION_JSON)
				.content(JSON.writeValueAsString(Map.of("reason", reason + "x"))))
			.andReturn();
		assertProblem(tooLong, 400);
		assertThat(tooLong.getResponse().getContentAsString()).contains("reason");
	}

	/**
	 * A missing query parameter is a typed problem document; the framework's problem had
	 * no type, and the handler that names it failed on that (a stack trace in the log,
	 * and no problem document).
	 */
	@Test
	void aMissingRequiredParameterIsATypedProblem() throws Exception {
		MvcResult result = this.mvc
			.perform(post("/api/v1/users/" + server + "/nobody/repair").header("Authorization", TOKEN))
			.andReturn();

		assertProblem(result, 400);
		assertThat(result.getResponse().getContentAsString()).contains("\"type\":\"/problems/http-400\"")
			.contains("ticketRef");
	}

	@Test
	void wrongMethodIs405() throws Exception {
		assertProblem(this.mvc
			.perform(put("/api/v1/requests").header("Authorization", TOKEN)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
			.andReturn(), 405);
	}

	private static void assertProblem(MvcResult result, int status) throws Exception {
		String body = result.getResponse().getContentAsString();
		assertThat(result.getResponse().getStatus()).as(body).isEqualTo(status);
		assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
		assertThat(body).contains("\"status\":" + status)
			.doesNotContain("Exception", "at io.", "at org.", "io.transferportal", "java.");
	}

	private static Map<String, Object> valid(String ticket) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", ticket);
		body.put("serverId", server);
		body.put("userName", "hostile");
		body.put("bucket", bucket);
		body.put("kmsKeyArn", key);
		body.put("sshPublicKeys", List.of(TestKeys.ED25519_C));
		return body;
	}

}
