package io.transferportal.ticketing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.provisioning.core.Target;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
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

	@Autowired
	MockMvc mvc;

	PortalApi api;

	@Autowired
	AwsFixtures aws;

	@Autowired
	TransferClient transfer;

	@Autowired
	IamClient iam;

	String server;

	@BeforeEach
	void setUp() {
		this.api = new PortalApi(this.mvc);
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
		String created = this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, body)
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long provision = PortalApi.id(created);
		String roleArn = JsonPath.<List<String>>read(created, "$.plan.changes[?(@.resource == 'ROLE')].resourceArn")
			.get(0);
		String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		String userArn = JsonPath
			.<List<String>>read(created, "$.plan.changes[?(@.resource == 'TRANSFER_USER')].resourceArn")
			.get(0);
		this.api.call(post("/api/v1/requests/" + provision + "/approve"), PortalApi.BOB, Map.of())
			.andExpect(status().isOk());
		this.api.awaitStatus(provision, "ACTIVE");
		// a tag someone added outside the portal
		this.transfer.tagResource((request) -> request.arn(userArn).tags((tag) -> tag.key("backup").value("daily")));
		this.iam.tagRole((request) -> request.roleName(roleName).tags((tag) -> tag.key("backup").value("daily")));

		String user = "/api/v1/users/" + this.server + "/" + userName;
		String planned = this.api
			.call(patch(user), PortalApi.SERVICENOW,
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
		long change = PortalApi.id(planned);
		this.api.call(post("/api/v1/requests/" + change + "/approve"), PortalApi.CAROL, Map.of())
			.andExpect(status().isOk());
		this.api.awaitStatus(change, "ACTIVE");

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
		this.api.call(get(user), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.checks[*].status", everyItem(is("OK"))));
	}

}
