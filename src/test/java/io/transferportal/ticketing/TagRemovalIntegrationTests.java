package io.transferportal.ticketing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.transfer.TransferClient;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.provisioning.core.Target;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A change that drops tags, through the API against moto_server: planned on the dedicated
 * role and the Transfer user, approved by another person, applied with UntagRole and
 * UntagResource, and read back from AWS.
 */
@PortalIntegrationTest
class TagRemovalIntegrationTests {

	static final String SERVICENOW = RequestApiIntegrationTests.SERVICENOW;

	static final String REPORTING = RequestApiIntegrationTests.REPORTING;

	static final String BOB = RequestApiIntegrationTests.BOB;

	static final String CAROL = RequestApiIntegrationTests.CAROL;

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	TransferClient transfer;

	@Autowired
	IamClient iam;

	String server;

	@BeforeEach
	void setUp() {
		this.server = this.aws.sftpServer();
	}

	@Test
	void aChangeRemovesTheTagsThePortalSetAndKeepsItsOwnAndTagsAddedOutsideThePortal() throws Exception {
		String userName = AwsFixtures.unique("tina");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", "INC-7001");
		body.put("serverId", this.server);
		body.put("userName", userName);
		body.put("bucket", this.aws.bucket());
		body.put("kmsKeyArn", this.aws.rootDelegatingKey());
		body.put("sshPublicKeys", List.of(TestKeys.ED25519_A));
		body.put("tags", Map.of("cost-center", "4711", "project", "alpha", "team", "payments"));
		String created = call(post("/api/v1/requests"), SERVICENOW, body).andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long provision = id(created);
		String roleArn = JsonPath.<List<String>>read(created, "$.plan.changes[?(@.resource == 'ROLE')].resourceArn")
			.get(0);
		String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		String userArn = JsonPath
			.<List<String>>read(created, "$.plan.changes[?(@.resource == 'TRANSFER_USER')].resourceArn")
			.get(0);
		call(post("/api/v1/requests/" + provision + "/approve"), BOB, Map.of()).andExpect(status().isOk());
		awaitStatus(provision, "ACTIVE");
		// a tag someone added outside the portal
		this.transfer.tagResource((request) -> request.arn(userArn).tags((tag) -> tag.key("backup").value("daily")));
		this.iam.tagRole((request) -> request.roleName(roleName).tags((tag) -> tag.key("backup").value("daily")));

		String user = "/api/v1/users/" + this.server + "/" + userName;
		String planned = call(patch(user), SERVICENOW,
				Map.of("ticketRef", "INC-7002", "tags", Map.of("team", "payments")))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.kind").value("MODIFY"))
			.andExpect(jsonPath("$.plan.changes[?(@.resource == 'ROLE')].summary")
				.value("Repair tags: remove tags cost-center, project"))
			.andExpect(jsonPath("$.plan.changes[?(@.resource == 'TRANSFER_USER')].summary")
				.value("Update user: remove tags cost-center, project"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		for (String resource : List.of("ROLE", "TRANSFER_USER")) {
			String before = JsonPath
				.<List<String>>read(planned, "$.plan.changes[?(@.resource == '" + resource + "')].before")
				.get(0);
			String after = JsonPath
				.<List<String>>read(planned, "$.plan.changes[?(@.resource == '" + resource + "')].after")
				.get(0);
			assertThat(before).as(resource).contains("\"cost-center\" : \"4711\"", "\"project\" : \"alpha\"");
			assertThat(after).as(resource)
				.doesNotContain("cost-center", "project")
				.contains("\"backup\" : \"daily\"", "\"team\" : \"payments\"", "\"" + Target.MANAGED_TAG + "\"");
		}
		long change = id(planned);
		call(post("/api/v1/requests/" + change + "/approve"), CAROL, Map.of()).andExpect(status().isOk());
		awaitStatus(change, "ACTIVE");

		List<String> userTags = this.transfer.listTagsForResource((request) -> request.arn(userArn))
			.tags()
			.stream()
			.map((tag) -> tag.key() + "=" + tag.value())
			.toList();
		List<String> roleTags = this.iam.listRoleTags((request) -> request.roleName(roleName))
			.tags()
			.stream()
			.map((tag) -> tag.key() + "=" + tag.value())
			.toList();
		for (List<String> tags : List.of(userTags, roleTags)) {
			assertThat(tags).containsExactlyInAnyOrder("team=payments", "backup=daily",
					Target.MANAGED_TAG + "=" + Target.MANAGED_TAG_VALUE, "transfer-portal:server=" + this.server,
					"transfer-portal:user=" + userName);
		}
		call(get(user), REPORTING, null).andExpect(status().isOk())
			.andExpect(jsonPath("$.checks[*].status", everyItem(is("OK"))));
	}

	static long id(String response) {
		return ((Number) JsonPath.read(response, "$.id")).longValue();
	}

	ResultActions call(MockHttpServletRequestBuilder request, String token, Object body) throws Exception {
		request.header("Authorization", "Bearer " + token);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(body));
		}
		return this.mvc.perform(request);
	}

	void awaitStatus(long id, String expected) {
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			String response = call(get("/api/v1/requests/" + id), REPORTING, null).andReturn()
				.getResponse()
				.getContentAsString();
			assertThat((String) JsonPath.read(response, "$.status")).as(response).isEqualTo(expected);
		});
	}

}
