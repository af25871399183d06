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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The REST API's happy paths against moto_server, safe replays, conflicts and the
 * authorization matrix.
 */
@PortalIntegrationTest
class RequestApiIntegrationTests {

	static final String SERVICENOW = "servicenow-token-0123456789abcdefghijkl";

	static final String REPORTING = "reporting-token-0123456789abcdefghijklm";

	static final String ALICE = "alice-personal-token-0123456789abcdef";

	static final String BOB = "bob-personal-token-0123456789abcdefgh";

	static final String CAROL = "carol-personal-token-0123456789abcdef";

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	TransferClient transfer;

	@Autowired
	S3Client s3;

	String server;

	String bucket;

	String key;

	@BeforeEach
	void setUp() {
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
	}

	@Test
	void createApprovePollVerifyAndDeprovision() throws Exception {
		Map<String, Object> body = body("INC-1001", "nina");
		String created = call(post("/api/v1/requests"), SERVICENOW, body).andExpect(status().isCreated())
			.andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/v1/requests/")))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.ticketRef").value("INC-1001"))
			.andExpect(jsonPath("$.kind").value("PROVISION"))
			.andExpect(jsonPath("$.status").value("PENDING_APPROVAL"))
			.andExpect(jsonPath("$.requestedBy").value("api:servicenow"))
			.andExpect(jsonPath("$.plan.fingerprint").isString())
			.andExpect(jsonPath("$.plan.changes[?(@.resource == 'TRANSFER_USER')].action").value("CREATE"))
			.andExpect(jsonPath("$.links.self").isString())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = ((Number) JsonPath.read(created, "$.id")).longValue();

		call(post("/api/v1/requests"), SERVICENOW, body).andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id));
		Map<String, Object> changed = new LinkedHashMap<>(body);
		changed.put("accessLevel", "READ_ONLY");
		call(post("/api/v1/requests"), SERVICENOW, changed).andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("/problems/conflict"));

		call(get("/api/v1/requests/" + id), REPORTING, null).andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id));
		call(get("/api/v1/requests?ticketRef=INC-1001&status=PENDING_APPROVAL"), REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items", hasSize(1)))
			.andExpect(jsonPath("$.totalItems").value(1));

		call(post("/api/v1/requests/" + id + "/approve"), BOB, Map.of("comment", "ok")).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("APPROVED"));
		awaitStatus(id, "ACTIVE");

		call(get("/api/v1/users/" + this.server + "/nina"), REPORTING, null).andExpect(status().isOk())
			.andExpect(jsonPath("$.checks", hasSize(6)))
			.andExpect(jsonPath("$.checks[*].status", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("OK"))))
			.andExpect(jsonPath("$.connection.host").value(this.server + ".server.transfer.us-east-1.amazonaws.com"))
			.andExpect(jsonPath("$.connection.userName").value("nina"))
			.andExpect(jsonPath("$.sshPublicKeys", hasSize(1)))
			.andExpect(jsonPath("$.sshPublicKeys[0].type").value("ecdsa-sha2-nistp256"))
			.andExpect(jsonPath("$.sshPublicKeys[0].fingerprint", org.hamcrest.Matchers.startsWith("SHA256:")))
			.andExpect(jsonPath("$.sshPublicKeys[0].importedAt").isNotEmpty())
			.andExpect(jsonPath("$.sshPublicKeys[0].status").value("ACTIVE"))
			.andExpect(jsonPath("$.connection.homeFolder").value("/" + this.bucket + "/nina"))
			.andExpect(jsonPath("$.connection.sftpCommand")
				.value("sftp -i <private key file> nina@" + this.server + ".server.transfer.us-east-1.amazonaws.com"));
		call(get("/api/v1/users"), REPORTING, null).andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.userName == 'nina')].bucket").value(this.bucket));
		call(post("/api/v1/users/" + this.server + "/nina/verify"), SERVICENOW, null).andExpect(status().isOk())
			.andExpect(jsonPath("$.verifiedAt").isString());

		String removal = call(delete("/api/v1/users/" + this.server + "/nina?ticketRef=INC-1002"), SERVICENOW, null)
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.kind").value("DEPROVISION"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long removalId = ((Number) JsonPath.read(removal, "$.id")).longValue();
		call(delete("/api/v1/users/" + this.server + "/nina?ticketRef=INC-1002"), SERVICENOW, null)
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.id").value(removalId));
		call(post("/api/v1/requests/" + removalId + "/approve"), BOB, Map.of()).andExpect(status().isOk());
		awaitStatus(removalId, "DELETED");
	}

	@Test
	void rejectCancelAndRetry() throws Exception {
		long rejected = create("INC-2001", "olga", SERVICENOW);
		call(post("/api/v1/requests/" + rejected + "/reject"), BOB, Map.of("reason", "not needed"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("REJECTED"));

		long cancelled = create("INC-2002", "pia", ALICE);
		call(post("/api/v1/requests/" + cancelled + "/cancel"), BOB, null).andExpect(status().isForbidden());
		call(post("/api/v1/requests/" + cancelled + "/cancel"), ALICE, null).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("CANCELLED"));

		long failing = create("INC-2003", "quinn", SERVICENOW);
		// the bucket disappears after submission
		this.s3.deleteBucket((r) -> r.bucket(this.bucket));
		call(post("/api/v1/requests/" + failing + "/approve"), BOB, Map.of()).andExpect(status().isOk());
		awaitStatus(failing, "FAILED");
		this.s3.createBucket((r) -> r.bucket(this.bucket));
		call(post("/api/v1/requests/" + failing + "/retry"), SERVICENOW, null).andExpect(status().isAccepted());
		awaitStatus(failing, "ACTIVE");
	}

	@Test
	void authorizationMatrix() throws Exception {
		this.mvc.perform(get("/api/v1/requests"))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(401));
		call(get("/api/v1/requests"), "not-a-valid-token-at-all-0123456789", null).andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.containsString("invalid_token")));
		call(post("/api/v1/requests"), REPORTING, body("INC-3001", "rita")).andExpect(status().isForbidden())
			.andExpect(jsonPath("$.type").value("/problems/forbidden"));

		long id = create("INC-3002", "sam", SERVICENOW);
		call(post("/api/v1/requests/" + id + "/approve"), SERVICENOW, Map.of()).andExpect(status().isForbidden());
		call(post("/api/v1/requests/" + id + "/approve"), ALICE, Map.of()).andExpect(status().isForbidden());

		long own = create("INC-3003", "tess", CAROL);
		call(post("/api/v1/requests/" + own + "/approve"), CAROL, Map.of()).andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("Four eyes")));
		call(get("/api/v1/requests/" + own), REPORTING, null).andExpect(jsonPath("$.status").value("PENDING_APPROVAL"));
	}

	@Test
	void invalidFieldsAreListedOneByOne() throws Exception {
		Map<String, Object> body = body("INC-4001", "-bad");
		body.put("sshPublicKeys", List.of(TestKeys.PRIVATE_KEY));
		body.put("bucket", "Not_A_Bucket");
		call(post("/api/v1/requests"), SERVICENOW, body).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("/problems/validation"))
			.andExpect(jsonPath("$.errors[*].field",
					org.hamcrest.Matchers.containsInAnyOrder("userName", "bucket", "sshPublicKeys[0]")));
		call(get("/api/v1/requests/999999"), REPORTING, null).andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("/problems/not-found"));
		call(get("/api/v1/users/" + this.server + "/nobody"), REPORTING, null).andExpect(status().isNotFound());
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/v1/requests']").exists())
			.andExpect(jsonPath("$.paths['/api/v1/requests/{id}/approve']").exists());
	}

	@Test
	void aHomeFolderInsideAnotherUsersIsAFieldErrorNamingThatUserAndNothingIsStored() throws Exception {
		Map<String, Object> first = body("INC-5001", "acme");
		first.put("homePrefix", "partners/acme");
		call(post("/api/v1/requests"), SERVICENOW, first).andExpect(status().isCreated());
		this.recorder.reset();

		Map<String, Object> inside = body("INC-5002", "acme-in");
		inside.put("homePrefix", "partners/acme/inbound");
		call(post("/api/v1/requests"), SERVICENOW, inside).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("/problems/validation"))
			.andExpect(jsonPath("$.errors[0].field").value("homePrefix"))
			.andExpect(jsonPath("$.errors[0].message", org.hamcrest.Matchers.startsWith(
					"home folder partners/acme/inbound lies inside the home folder partners/acme of user acme on "
							+ this.server)));
		Map<String, Object> parent = body("INC-5003", "partners");
		parent.put("homePrefix", "partners");
		call(post("/api/v1/requests"), SERVICENOW, parent).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].message",
					org.hamcrest.Matchers.containsString("contains the home folder partners/acme of user acme")));
		assertThat(this.recorder.writes()).isEmpty();
		call(get("/api/v1/requests").param("ticketRef", "INC-5002"), REPORTING, null)
			.andExpect(jsonPath("$.totalItems").value(0));

		// a sibling folder is fine
		Map<String, Object> sibling = body("INC-5004", "acme2");
		sibling.put("homePrefix", "partners/acme2");
		call(post("/api/v1/requests"), SERVICENOW, sibling).andExpect(status().isCreated());
	}

	@Test
	void aChangeOfKeysAccessLevelAndTagsIsPlannedApprovedAppliedAndReadBack() throws Exception {
		Map<String, Object> first = body("INC-6001", "petra");
		first.put("sshPublicKeys", List.of(TestKeys.ED25519_A));
		first.put("tags", Map.of("cost-center", "4711", "project", "old"));
		long created = ((Number) JsonPath.read(
				call(post("/api/v1/requests"), SERVICENOW, first).andReturn().getResponse().getContentAsString(),
				"$.id"))
			.longValue();
		call(post("/api/v1/requests/" + created + "/approve"), BOB, Map.of()).andExpect(status().isOk());
		awaitStatus(created, "ACTIVE");
		String user = "/api/v1/users/" + this.server + "/petra";

		Map<String, Object> change = new LinkedHashMap<>();
		change.put("ticketRef", "INC-6002");
		change.put("sshPublicKeys", List.of(TestKeys.ED25519_B));
		// the old key goes at once, not after a rotation's overlap
		change.put("retireAfter", "PT0S");
		change.put("accessLevel", "READ_ONLY");
		change.put("tags", Map.of("cost-center", "4712"));
		String response = call(patch(user), SERVICENOW, change).andExpect(status().isAccepted())
			.andExpect(jsonPath("$.kind").value("MODIFY"))
			.andExpect(jsonPath("$.status").value("PENDING_APPROVAL"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = ((Number) JsonPath.read(response, "$.id")).longValue();
		List<String> changed = JsonPath.read(response, "$.plan.changes[?(@.action != 'NONE')].resource");
		assertThat(changed).containsExactlyInAnyOrder("ROLE", "ROLE_POLICY", "SESSION_POLICY", "TRANSFER_USER");
		// the same body again is the same request; another body for the ticket a conflict
		call(patch(user), SERVICENOW, change).andExpect(status().isOk()).andExpect(jsonPath("$.id").value(id));
		change.put("accessLevel", "READ_WRITE");
		call(patch(user), SERVICENOW, change).andExpect(status().isConflict());
		// approved like a provision, by a person other than the requester
		call(post("/api/v1/requests/" + id + "/approve"), SERVICENOW, Map.of()).andExpect(status().isForbidden());
		call(post("/api/v1/requests/" + id + "/approve"), CAROL, Map.of()).andExpect(status().isOk());
		awaitStatus(id, "ACTIVE");

		DescribedUser described = this.transfer.describeUser((r) -> r.serverId(this.server).userName("petra")).user();
		assertThat(described.sshPublicKeys()).extracting((k) -> k.sshPublicKeyBody())
			.containsExactly(TestKeys.ED25519_B);
		assertThat(Policies.parse(described.policy()).statements())
			.filteredOn((statement) -> "KmsForBucketEncryption".equals(statement.sid()))
			.singleElement()
			.satisfies((statement) -> assertThat(statement.actions()).extracting((a) -> a.value())
				.containsExactly("kms:Decrypt"));
		// project was set by the portal and the change dropped it
		assertThat(described.tags()).extracting((tag) -> tag.key() + "=" + tag.value())
			.contains("cost-center=4712")
			.doesNotContain("project=old");
		call(get(user), REPORTING, null).andExpect(jsonPath("$.accessLevel").value("READ_ONLY"))
			.andExpect(jsonPath("$.checks[*].status", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("OK"))));

		// asking for what the user already has changes nothing
		call(patch(user), SERVICENOW, Map.of("ticketRef", "INC-6003", "accessLevel", "READ_ONLY"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("nothing to change")));
		call(patch(user), SERVICENOW, Map.of("ticketRef", "INC-6004", "sshPublicKeys", List.of("ssh-rsa AAAA")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("sshPublicKeys[0]"));
	}

	long create(String ticket, String user, String token) throws Exception {
		String response = call(post("/api/v1/requests"), token, body(ticket, user)).andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return ((Number) JsonPath.read(response, "$.id")).longValue();
	}

	Map<String, Object> body(String ticket, String user) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", ticket);
		body.put("serverId", this.server);
		body.put("userName", user);
		body.put("bucket", this.bucket);
		body.put("kmsKeyArn", this.key);
		body.put("sshPublicKeys", List.of(TestKeys.newEcdsaKey(user)));
		body.put("tags", Map.of("cost-center", "4711"));
		return body;
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
