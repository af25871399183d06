package io.transferportal.ticketing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.Tag;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditRecord;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.core.Target;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Adopting Transfer users that were created directly with the AWS SDK, through the API,
 * against moto_server: plan, four-eyes approval, the take-over, verification and the
 * audit trail; and every refusal.
 */
@PortalIntegrationTest
class AdoptionApiIntegrationTests {

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
	AuditTrail audit;

	String server;

	String bucket;

	String key;

	String role;

	@BeforeEach
	void setUp() {
		this.api = new PortalApi(this.mvc);
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
		this.role = this.aws.existingRole();
	}

	@Test
	void aUserCreatedWithTheSdkIsPlannedApprovedByASecondPersonTakenOverAndThenVerifiesOk() throws Exception {
		// a key whose policy does not delegate to the account: the role needs a statement
		// in the key policy too
		this.key = this.aws.keyWithoutRootDelegation();
		this.transfer.createUser((request) -> request.serverId(this.server)
			.userName("lena")
			.role(this.role)
			.homeDirectoryType(HomeDirectoryType.PATH)
			.homeDirectory("/" + this.bucket + "/old-home")
			.sshPublicKeyBody(TestKeys.ED25519_A)
			.tags(Tag.builder().key("owner").value("ops").build()));
		String user = "/api/v1/users/" + this.server + "/lena";
		this.api.call(get(user), PortalApi.REPORTING, null).andExpect(status().isNotFound());

		Map<String, Object> body = body("INC-9001", "lena");
		String response = this.api.call(post(user + "/adopt"), PortalApi.SERVICENOW, body)
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", Matchers.startsWith("/api/v1/requests/")))
			.andExpect(jsonPath("$.kind").value("ADOPT"))
			.andExpect(jsonPath("$.status").value("PENDING_APPROVAL"))
			.andExpect(jsonPath("$.requestedBy").value("api:servicenow"))
			.andExpect(jsonPath("$.plan.problems", hasSize(0)))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = PortalApi.id(response);
		// the user is taken over, not created; its role is used as an existing role
		List<String> userChange = JsonPath.read(response, "$.plan.changes[?(@.resource == 'TRANSFER_USER')].action");
		assertThat(userChange).containsExactly("UPDATE");
		List<String> summary = JsonPath.read(response, "$.plan.changes[?(@.resource == 'TRANSFER_USER')].summary");
		assertThat(summary).singleElement()
			.satisfies((text) -> assertThat(text).startsWith("Adopt user lena on " + this.server)
				.contains("restore the LOGICAL home directory", "set tags", Target.MANAGED_TAG));
		List<String> warnings = JsonPath.read(response, "$.plan.changes[?(@.resource == 'TRANSFER_USER')].warnings[*]");
		assertThat(warnings).anySatisfy((warning) -> assertThat(warning).contains("takes this user over"))
			.anySatisfy((warning) -> assertThat(warning)
				.contains("changes from /" + this.bucket + "/old-home to /" + this.bucket + "/lena"));
		List<String> roleChange = JsonPath.read(response, "$.plan.changes[?(@.resource == 'ROLE')].summary");
		assertThat(roleChange).singleElement().satisfies((text) -> assertThat(text).startsWith("Use existing role"));
		List<String> written = JsonPath.read(response, "$.plan.changes[?(@.action != 'NONE')].resource");
		assertThat(written).containsExactlyInAnyOrder("ROLE_POLICY", "KEY_POLICY", "BUCKET_ENCRYPTION", "HOME_FOLDER",
				"SESSION_POLICY", "TRANSFER_USER");

		// the same body again is the same request; another body for the ticket a conflict
		this.api.call(post(user + "/adopt"), PortalApi.SERVICENOW, body)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id));
		Map<String, Object> other = new LinkedHashMap<>(body);
		other.put("accessLevel", "READ_ONLY");
		this.api.call(post(user + "/adopt"), PortalApi.SERVICENOW, other)
			.andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("/problems/conflict"));
		// one open request per user
		this.api.call(post(user + "/adopt"), PortalApi.SERVICENOW, body("INC-9002", "lena"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail", Matchers.containsString("already has an open request")));

		// nothing changed before the approval, which only a person other than the
		// requester can give
		assertThat(tags(describe("lena"))).doesNotContainKey(Target.MANAGED_TAG);
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.SERVICENOW, Map.of())
			.andExpect(status().isForbidden());
		this.api
			.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.BOB, Map.of("comment", "adoption reviewed"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("APPROVED"));
		this.api.awaitStatus(id, "ACTIVE");

		DescribedUser adopted = describe("lena");
		assertThat(adopted.role()).isEqualTo(this.role);
		assertThat(adopted.homeDirectoryType()).isEqualTo(HomeDirectoryType.LOGICAL);
		assertThat(adopted.homeDirectoryMappings()).singleElement()
			.satisfies((mapping) -> assertThat(mapping.entry() + " -> " + mapping.target())
				.isEqualTo("/ -> /" + this.bucket + "/lena"));
		assertThat(adopted.sshPublicKeys()).extracting((k) -> k.sshPublicKeyBody()).containsExactly(TestKeys.ED25519_A);
		assertThat(adopted.policy()).contains("KmsForBucketEncryption");
		assertThat(this.aws.keyPolicy(this.key)).contains(this.role);
		assertThat(tags(adopted)).containsEntry(Target.MANAGED_TAG, Target.MANAGED_TAG_VALUE)
			.containsEntry("owner", "ops");

		// managed like any other: every check OK, now and when verified again
		this.api.call(get(user), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.active").value(true))
			.andExpect(jsonPath("$.bucket").value(this.bucket))
			.andExpect(jsonPath("$.checks", hasSize(6)))
			.andExpect(jsonPath("$.checks[*].status", Matchers.everyItem(Matchers.is("OK"))))
			.andExpect(jsonPath("$.sshPublicKeys", hasSize(1)));
		this.api.call(post(user + "/verify"), PortalApi.SERVICENOW, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.checks[*].status", Matchers.everyItem(Matchers.is("OK"))));

		// everything in the audit trail: submission, approval, each AWS change, the
		// status changes
		List<AuditRecord> trail = this.audit.search(AuditFilter.forRequest(id), 100);
		assertThat(trail).extracting(AuditRecord::action)
			.contains("SUBMITTED", "APPROVED", "AWS_CHANGE", "STATUS_CHANGED");
		assertThat(trail).filteredOn((entry) -> entry.action().equals("APPROVED"))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.actor()).isEqualTo("bob"));
		assertThat(trail).filteredOn((entry) -> entry.action().equals("AWS_CHANGE"))
			.extracting(AuditRecord::resource, AuditRecord::outcome)
			.contains(tuple("TRANSFER_USER", "UPDATED"));
		assertThat(trail).allSatisfy((entry) -> assertThat(entry.ticketRef()).isEqualTo("INC-9001"));
		assertThat(trail).filteredOn((entry) -> entry.action().equals("STATUS_CHANGED"))
			.extracting(AuditRecord::outcome)
			.contains("ACTIVE");

		// an adopted user is not adopted again, and is changed like any managed user
		this.api.call(post(user + "/adopt"), PortalApi.SERVICENOW, body("INC-9003", "lena"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail", Matchers.containsString("already managed by the portal")));
		this.api.call(patch(user), PortalApi.SERVICENOW, Map.of("ticketRef", "INC-9004", "accessLevel", "READ_ONLY"))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.kind").value("MODIFY"));
	}

	@Test
	void theRequesterCannotApproveTheirOwnAdoption() throws Exception {
		createUser("mira", this.role);
		String response = this.api
			.call(post("/api/v1/users/" + this.server + "/mira/adopt"), PortalApi.CAROL, body("INC-9101", "mira"))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = PortalApi.id(response);

		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.CAROL, Map.of())
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail", Matchers.containsString("Four eyes")));
		this.api.call(get("/api/v1/requests/" + id), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.status").value("PENDING_APPROVAL"));
		assertThat(tags(describe("mira"))).doesNotContainKey(Target.MANAGED_TAG);
	}

	@Test
	void badFieldsAreListedBeforeAnyAwsCallAndNothingIsStored() throws Exception {
		Map<String, Object> body = body("INC-9201", "nobody");
		body.put("bucket", "Not_A_Bucket");
		body.put("kmsKeyArn", "alias/payments");
		this.recorder.reset();

		this.api.call(post("/api/v1/users/" + this.server + "/nobody/adopt"), PortalApi.SERVICENOW, body)
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("/problems/validation"))
			.andExpect(jsonPath("$.errors[*].field", Matchers.containsInAnyOrder("bucket", "kmsKeyArn")));
		assertThat(this.recorder.callsAbout(this.server, "nobody")).isEmpty();
		this.api.call(get("/api/v1/requests").param("ticketRef", "INC-9201"), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.totalItems").value(0));

		// a callback URL the portal may not call is refused like on other writes
		Map<String, Object> callback = body("INC-9202", "nobody");
		callback.put("callbackUrl", "http://169.254.169.254/latest/meta-data/");
		this.api.call(post("/api/v1/users/" + this.server + "/nobody/adopt"), PortalApi.SERVICENOW, callback)
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("callbackUrl"));
		assertThat(this.recorder.callsAbout(this.server, "nobody")).isEmpty();
	}

	@Test
	void anUnknownUserIsNotFound() throws Exception {
		this.api
			.call(post("/api/v1/users/" + this.server + "/nobody/adopt"), PortalApi.SERVICENOW,
					body("INC-9301", "nobody"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("/problems/not-found"))
			.andExpect(jsonPath("$.detail")
				.value("User nobody does not exist on " + this.server + "; there is nothing to adopt"));
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/v1/users/{serverId}/{userName}/adopt'].post").exists());
	}

	@Test
	void malformedInputIsAProblemDocumentNeverAServerError() throws Exception {
		Map<String, Object> level = body("INC-9701", "nobody");
		level.put("accessLevel", "EVERYTHING");
		this.api.call(post("/api/v1/users/" + this.server + "/nobody/adopt"), PortalApi.SERVICENOW, level)
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		this.api.call(post("/api/v1/users/s-nope/-bad/adopt"), PortalApi.SERVICENOW, body("INC-9702", "nobody"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[*].field", Matchers.containsInAnyOrder("serverId", "userName")));
		this.api
			.call(post("/api/v1/users/" + this.server + "/nobody/adopt"), PortalApi.SERVICENOW,
					Map.of("bucket", this.bucket))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		this.api
			.call(post("/api/v1/users/s-00000000000000000/nobody/adopt"), PortalApi.SERVICENOW,
					body("INC-9703", "nobody"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("serverId"))
			.andExpect(jsonPath("$.errors[0].message", Matchers.containsString("no Transfer server")));
	}

	@Test
	void aUserThatCarriesThePortalsTagIsNotAdopted() throws Exception {
		this.transfer.createUser((request) -> request.serverId(this.server)
			.userName("olli")
			.role(this.role)
			.sshPublicKeyBody(TestKeys.ED25519_A)
			.tags(Tag.builder().key(Target.MANAGED_TAG).value(Target.MANAGED_TAG_VALUE).build()));

		this.api
			.call(post("/api/v1/users/" + this.server + "/olli/adopt"), PortalApi.SERVICENOW, body("INC-9401", "olli"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail", Matchers.containsString("already carries the portal's tag")));
	}

	@Test
	void aRoleOutsideTheAllowedPathsIsAFieldErrorOnTheRole() throws Exception {
		String elsewhere = this.aws.existingRole("/ci/",
				IamPolicy.builder()
					.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
						.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
						.addAction("sts:AssumeRole"))
					.build());
		createUser("paul", elsewhere);

		this.api
			.call(post("/api/v1/users/" + this.server + "/paul/adopt"), PortalApi.SERVICENOW, body("INC-9501", "paul"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("roleArn"))
			.andExpect(jsonPath("$.errors[0].message",
					Matchers.containsString("is not under an allowed path [" + AwsFixtures.EXISTING_ROLE_PATH)));
		this.api.call(get("/api/v1/requests").param("ticketRef", "INC-9501"), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.totalItems").value(0));
	}

	@Test
	void aLogicalHomeThePortalCannotExpressIsRefused() throws Exception {
		this.transfer.createUser((request) -> request.serverId(this.server)
			.userName("quirin")
			.role(this.role)
			.homeDirectoryType(HomeDirectoryType.LOGICAL)
			.homeDirectoryMappings((entry) -> entry.entry("/in").target("/" + this.bucket + "/quirin/in"),
					(entry) -> entry.entry("/out").target("/" + this.bucket + "/quirin/out"))
			.sshPublicKeyBody(TestKeys.ED25519_A));

		this.api
			.call(post("/api/v1/users/" + this.server + "/quirin/adopt"), PortalApi.SERVICENOW,
					body("INC-9601", "quirin"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail", Matchers.containsString("has the LOGICAL home directory")));
	}

	private void createUser(String userName, String roleArn) {
		this.transfer.createUser((request) -> request.serverId(this.server)
			.userName(userName)
			.role(roleArn)
			.sshPublicKeyBody(TestKeys.newEcdsaKey(userName)));
	}

	private DescribedUser describe(String userName) {
		return this.transfer.describeUser((r) -> r.serverId(this.server).userName(userName)).user();
	}

	private static Map<String, String> tags(DescribedUser user) {
		Map<String, String> tags = new LinkedHashMap<>();
		user.tags().forEach((tag) -> tags.put(tag.key(), tag.value()));
		return tags;
	}

	Map<String, Object> body(String ticket, String userName) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", ticket);
		body.put("bucket", this.bucket);
		body.put("homePrefix", userName);
		body.put("kmsKeyArn", this.key);
		body.put("accessLevel", "READ_WRITE");
		return body;
	}

}
