package io.transferportal.ticketing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;

import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
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

	@Autowired
	MockMvc mvc;

	PortalApi api;

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
		this.api = new PortalApi(this.mvc);
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
	}

	@Test
	void createApprovePollVerifyAndDeprovision() throws Exception {
		Map<String, Object> body = body("INC-1001", "nina");
		String created = this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, body)
			.andExpect(status().isCreated())
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
		long id = PortalApi.id(created);

		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, body)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id));
		Map<String, Object> changed = new LinkedHashMap<>(body);
		changed.put("accessLevel", "READ_ONLY");
		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, changed)
			.andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("/problems/conflict"));

		this.api.call(get("/api/v1/requests/" + id), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id));
		this.api.call(get("/api/v1/requests?ticketRef=INC-1001&status=PENDING_APPROVAL"), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items", hasSize(1)))
			.andExpect(jsonPath("$.totalItems").value(1));

		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.BOB, Map.of("comment", "ok"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("APPROVED"));
		this.api.awaitStatus(id, "ACTIVE");

		this.api.call(get("/api/v1/users/" + this.server + "/nina"), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
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
		// paged and filtered in the database
		this.api.call(get("/api/v1/users?q=NIN&health=OK&size=5"), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.size").value(5))
			.andExpect(jsonPath("$.items[?(@.userName == 'nina')].bucket").value(this.bucket));
		this.api.call(get("/api/v1/users?q=nina&health=DRIFT"), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[?(@.userName == 'nina')]").isEmpty());
		this.api.call(get("/api/v1/users?q=nina&lifecycle=EXPIRING"), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[?(@.userName == 'nina')]").isEmpty());
		for (String bad : List.of("page=2147483647", "page=-1", "size=1000", "health=GREEN", "lifecycle=SOON")) {
			this.api.call(get("/api/v1/users?" + bad), PortalApi.REPORTING, null)
				.andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
		}
		// every list of the API bounds its page the same way
		for (String list : List.of("/api/v1/requests", "/api/v1/users/reviews", "/api/v1/request-batches")) {
			this.api.call(get(list + "?page=2147483647"), PortalApi.REPORTING, null)
				.andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
		}
		this.api.call(post("/api/v1/users/" + this.server + "/nina/verify"), PortalApi.SERVICENOW, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.verifiedAt").isString());

		String removal = this.api
			.call(delete("/api/v1/users/" + this.server + "/nina?ticketRef=INC-1002"), PortalApi.SERVICENOW, null)
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.kind").value("DEPROVISION"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long removalId = PortalApi.id(removal);
		this.api.call(delete("/api/v1/users/" + this.server + "/nina?ticketRef=INC-1002"), PortalApi.SERVICENOW, null)
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.id").value(removalId));
		this.api.call(post("/api/v1/requests/" + removalId + "/approve"), PortalApi.BOB, Map.of())
			.andExpect(status().isOk());
		this.api.awaitStatus(removalId, "DELETED");
	}

	@Test
	void rejectCancelAndRetry() throws Exception {
		long rejected = create("INC-2001", "olga", PortalApi.SERVICENOW);
		this.api.call(post("/api/v1/requests/" + rejected + "/reject"), PortalApi.BOB, Map.of("reason", "not needed"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("REJECTED"));

		long cancelled = create("INC-2002", "pia", PortalApi.ALICE);
		this.api.call(post("/api/v1/requests/" + cancelled + "/cancel"), PortalApi.BOB, null)
			.andExpect(status().isForbidden());
		this.api.call(post("/api/v1/requests/" + cancelled + "/cancel"), PortalApi.ALICE, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("CANCELLED"));

		long failing = create("INC-2003", "quinn", PortalApi.SERVICENOW);
		// the bucket disappears after submission
		this.s3.deleteBucket((r) -> r.bucket(this.bucket));
		this.api.call(post("/api/v1/requests/" + failing + "/approve"), PortalApi.BOB, Map.of())
			.andExpect(status().isOk());
		this.api.awaitStatus(failing, "FAILED");
		this.s3.createBucket((r) -> r.bucket(this.bucket));
		this.api.call(post("/api/v1/requests/" + failing + "/retry"), PortalApi.SERVICENOW, null)
			.andExpect(status().isAccepted());
		this.api.awaitStatus(failing, "ACTIVE");
	}

	@Test
	void authorizationMatrix() throws Exception {
		this.mvc.perform(get("/api/v1/requests"))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(401));
		this.api.call(get("/api/v1/requests"), "not-a-valid-token-at-all-0123456789", null)
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.containsString("invalid_token")));
		this.api.call(post("/api/v1/requests"), PortalApi.REPORTING, body("INC-3001", "rita"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.type").value("/problems/forbidden"));

		long id = create("INC-3002", "sam", PortalApi.SERVICENOW);
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.SERVICENOW, Map.of())
			.andExpect(status().isForbidden());
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.ALICE, Map.of())
			.andExpect(status().isForbidden());

		long own = create("INC-3003", "tess", PortalApi.CAROL);
		this.api.call(post("/api/v1/requests/" + own + "/approve"), PortalApi.CAROL, Map.of())
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("Four eyes")));
		this.api.call(get("/api/v1/requests/" + own), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.status").value("PENDING_APPROVAL"));
	}

	@Test
	void invalidFieldsAreListedOneByOne() throws Exception {
		Map<String, Object> body = body("INC-4001", "-bad");
		body.put("sshPublicKeys", List.of(TestKeys.PRIVATE_KEY));
		body.put("bucket", "Not_A_Bucket");
		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, body)
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("/problems/validation"))
			.andExpect(jsonPath("$.errors[*].field",
					org.hamcrest.Matchers.containsInAnyOrder("userName", "bucket", "sshPublicKeys[0]")));
		this.api.call(get("/api/v1/requests/999999"), PortalApi.REPORTING, null)
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("/problems/not-found"));
		this.api.call(get("/api/v1/users/" + this.server + "/nobody"), PortalApi.REPORTING, null)
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/v1/requests']").exists())
			.andExpect(jsonPath("$.paths['/api/v1/requests/{id}/approve']").exists());
	}

	@Test
	void aHomeFolderInsideAnotherUsersIsAFieldErrorNamingThatUserAndNothingIsStored() throws Exception {
		Map<String, Object> first = body("INC-5001", "acme");
		first.put("homePrefix", "partners/acme");
		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, first).andExpect(status().isCreated());
		this.recorder.reset();

		Map<String, Object> inside = body("INC-5002", "acme-in");
		inside.put("homePrefix", "partners/acme/inbound");
		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, inside)
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("/problems/validation"))
			.andExpect(jsonPath("$.errors[0].field").value("homePrefix"))
			.andExpect(jsonPath("$.errors[0].message", org.hamcrest.Matchers.startsWith(
					"home folder partners/acme/inbound lies inside the home folder partners/acme of user acme on "
							+ this.server)));
		Map<String, Object> parent = body("INC-5003", "partners");
		parent.put("homePrefix", "partners");
		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, parent)
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].message",
					org.hamcrest.Matchers.containsString("contains the home folder partners/acme of user acme")));
		assertThat(this.recorder.writes()).isEmpty();
		this.api.call(get("/api/v1/requests").param("ticketRef", "INC-5002"), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.totalItems").value(0));

		// a sibling folder is fine
		Map<String, Object> sibling = body("INC-5004", "acme2");
		sibling.put("homePrefix", "partners/acme2");
		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, sibling).andExpect(status().isCreated());
	}

	@Test
	void aChangeOfKeysAccessLevelAndTagsIsPlannedApprovedAppliedAndReadBack() throws Exception {
		Map<String, Object> first = body("INC-6001", "petra");
		first.put("sshPublicKeys", List.of(TestKeys.ED25519_A));
		first.put("tags", Map.of("cost-center", "4711", "project", "old"));
		long created = ((Number) JsonPath.read(this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, first)
			.andReturn()
			.getResponse()
			.getContentAsString(), "$.id")).longValue();
		this.api.call(post("/api/v1/requests/" + created + "/approve"), PortalApi.BOB, Map.of())
			.andExpect(status().isOk());
		this.api.awaitStatus(created, "ACTIVE");
		String user = "/api/v1/users/" + this.server + "/petra";

		Map<String, Object> change = new LinkedHashMap<>();
		change.put("ticketRef", "INC-6002");
		change.put("sshPublicKeys", List.of(TestKeys.ED25519_B));
		// the old key goes at once, not after a rotation's overlap
		change.put("retireAfter", "PT0S");
		change.put("accessLevel", "READ_ONLY");
		change.put("tags", Map.of("cost-center", "4712"));
		String response = this.api.call(patch(user), PortalApi.SERVICENOW, change)
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.kind").value("MODIFY"))
			.andExpect(jsonPath("$.status").value("PENDING_APPROVAL"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = PortalApi.id(response);
		List<String> changed = JsonPath.read(response, "$.plan.changes[?(@.action != 'NONE')].resource");
		assertThat(changed).containsExactlyInAnyOrder("ROLE", "ROLE_POLICY", "SESSION_POLICY", "TRANSFER_USER");
		// the same body again is the same request; another body for the ticket a conflict
		this.api.call(patch(user), PortalApi.SERVICENOW, change)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id));
		change.put("accessLevel", "READ_WRITE");
		this.api.call(patch(user), PortalApi.SERVICENOW, change).andExpect(status().isConflict());
		// approved like a provision, by a person other than the requester
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.SERVICENOW, Map.of())
			.andExpect(status().isForbidden());
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.CAROL, Map.of())
			.andExpect(status().isOk());
		this.api.awaitStatus(id, "ACTIVE");

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
		this.api.call(get(user), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.accessLevel").value("READ_ONLY"))
			.andExpect(jsonPath("$.checks[*].status", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("OK"))));

		// asking for what the user already has changes nothing
		this.api.call(patch(user), PortalApi.SERVICENOW, Map.of("ticketRef", "INC-6003", "accessLevel", "READ_ONLY"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail", org.hamcrest.Matchers.containsString("nothing to change")));
		this.api
			.call(patch(user), PortalApi.SERVICENOW,
					Map.of("ticketRef", "INC-6004", "sshPublicKeys", List.of("ssh-rsa AAAA")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("sshPublicKeys[0]"));
	}

	long create(String ticket, String user, String token) throws Exception {
		String response = this.api.call(post("/api/v1/requests"), token, body(ticket, user))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return PortalApi.id(response);
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

}
