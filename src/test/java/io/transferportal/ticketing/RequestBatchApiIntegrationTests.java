package io.transferportal.ticketing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Bulk requests through the REST API against moto_server: a batch submitted with shared
 * reads, approved once, run item by item; invalid batches refused whole; replays, four
 * eyes, rejection and the retry of one failed item.
 */
@PortalIntegrationTest
class RequestBatchApiIntegrationTests {

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
	void fiftyUsersAreSubmittedWithSharedReadsApprovedOnceAndAllBecomeActive() throws Exception {
		String ticket = AwsFixtures.unique("BULK-");
		List<Map<String, Object>> items = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			items.add(item("bulk" + i + "-" + ticket.substring(5), null));
		}
		this.recorder.reset();
		String created = this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, batch(ticket, items))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", startsWith("/api/v1/request-batches/")))
			.andExpect(jsonPath("$.ticketRef").value(ticket))
			.andExpect(jsonPath("$.requestedBy").value("api:servicenow"))
			.andExpect(jsonPath("$.itemCount").value(50))
			.andExpect(jsonPath("$.counts.PENDING_APPROVAL").value(50))
			.andExpect(jsonPath("$.items", hasSize(50)))
			.andExpect(jsonPath("$.items[7].index").value(7))
			.andExpect(jsonPath("$.items[7].userName").value("bulk7-" + ticket.substring(5)))
			.andExpect(jsonPath("$.items[7].status").value("PENDING_APPROVAL"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		// the reads the 50 plans share are made once for the batch
		String keyId = this.key.substring(this.key.lastIndexOf('/') + 1);
		List<String> shared = this.recorder.callsAbout(this.server, this.bucket, keyId);
		assertThat(shared).filteredOn("S3:GetBucketEncryption"::equals).hasSize(1);
		assertThat(shared).filteredOn("Kms:GetKeyPolicy"::equals).hasSize(1);
		assertThat(shared).filteredOn("Kms:DescribeKey"::equals).hasSize(1);
		assertThat(shared).filteredOn("Transfer:DescribeServer"::equals).hasSize(1);
		assertThat(this.recorder.writes()).isEmpty();
		long id = PortalApi.id(created);

		this.api.call(post("/api/v1/request-batches/" + id + "/approve"), PortalApi.BOB, Map.of("comment", "all fine"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.counts.PENDING_APPROVAL").value(0));
		awaitCount(id, "ACTIVE", 50);
		for (int i = 0; i < 50; i++) {
			String user = "bulk" + i + "-" + ticket.substring(5);
			assertThat(this.transfer.describeUser((r) -> r.serverId(this.server).userName(user))
				.user()
				.homeDirectoryMappings()).singleElement()
				.satisfies((mapping) -> assertThat(mapping.target()).isEqualTo("/" + this.bucket + "/" + user));
		}
		this.api.call(get("/api/v1/request-batches?size=5"), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[?(@.id == " + id + ")].counts.ACTIVE").value(50));
		this.api.call(get("/api/v1/request-batches?ticketRef=" + ticket), PortalApi.REPORTING, null)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items", hasSize(1)))
			.andExpect(jsonPath("$.items[0].id").value(id));
		// each item is an ordinary request carrying the batch's ticket
		this.api.call(get("/api/v1/requests?ticketRef=" + ticket + "&size=100"), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.totalItems").value(50));
	}

	@Test
	void aBatchWithInvalidItemsIsRefusedWholeWithEveryItemsErrorsAndNoAwsCall() throws Exception {
		String ticket = AwsFixtures.unique("BAD-");
		Map<String, Object> badName = item("x", null);
		Map<String, Object> badKey = item("kira" + ticket.substring(4), null);
		badKey.put("sshPublicKeys", List.of(TestKeys.RSA_1024));
		badKey.put("accessLevel", "READ_ONLY");
		Map<String, Object> tooLongServer = item("lena" + ticket.substring(4), null);
		tooLongServer.put("serverId", "s-" + "0".repeat(120));
		List<Map<String, Object>> items = List.of(item("mona" + ticket.substring(4), null), badName, badKey,
				tooLongServer);
		this.recorder.reset();
		this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, batch(ticket, items))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("/problems/validation"))
			.andExpect(jsonPath("$.invalidItems").value(org.hamcrest.Matchers.contains(1, 2, 3)))
			.andExpect(jsonPath("$.errors[?(@.index == 1)].field").value(org.hamcrest.Matchers.hasItem("userName")))
			.andExpect(jsonPath("$.errors[?(@.index == 2)].field")
				.value(org.hamcrest.Matchers.hasItem("sshPublicKeys[0]")))
			.andExpect(jsonPath("$.errors[?(@.index == 3)].field").value(org.hamcrest.Matchers.hasItem("serverId")))
			.andExpect(jsonPath("$.errors[?(@.index == 0)]").isEmpty());
		assertThat(this.recorder.calls()).isEmpty();
		assertNothingStored(ticket);
	}

	@Test
	void itemsOfOneBatchMustNotOverlapNorRepeatAUser() throws Exception {
		String ticket = AwsFixtures.unique("OVL-");
		String suffix = ticket.substring(4);
		Map<String, Object> outer = item("nora" + suffix, "partners/" + suffix);
		Map<String, Object> inner = item("otto" + suffix, "partners/" + suffix + "/otto");
		Map<String, Object> twice = item("nora" + suffix, "elsewhere/" + suffix);
		this.recorder.reset();
		this.api
			.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, batch(ticket, List.of(outer, inner, twice)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[?(@.index == 0)].field").value(org.hamcrest.Matchers.contains("homePrefix")))
			.andExpect(jsonPath("$.errors[?(@.index == 0)].message")
				.value(org.hamcrest.Matchers.contains(org.hamcrest.Matchers.containsString("otto" + suffix))))
			.andExpect(jsonPath("$.errors[?(@.index == 1)].field").value(org.hamcrest.Matchers.contains("homePrefix")))
			.andExpect(jsonPath("$.errors[?(@.index == 2)].field").value(org.hamcrest.Matchers.contains("userName")));
		assertThat(this.recorder.calls()).isEmpty();
		assertNothingStored(ticket);
	}

	@Test
	void itemsMustNotOverlapNorRepeatAManagedUserOrAnOpenRequest() throws Exception {
		String suffix = AwsFixtures.unique("");
		String managed = "mara" + suffix;
		String open = "nils" + suffix;
		long managedBatch = PortalApi.id(this.api
			.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW,
					batch("MNG-" + suffix, List.of(item(managed, "managed/" + suffix))))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString());
		this.api.call(post("/api/v1/request-batches/" + managedBatch + "/approve"), PortalApi.BOB, Map.of())
			.andExpect(status().isOk());
		awaitCount(managedBatch, "ACTIVE", 1);
		this.api
			.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW,
					batch("OPN-" + suffix, List.of(item(open, "open/" + suffix))))
			.andExpect(status().isCreated());
		String ticket = "OVR-" + suffix;
		this.recorder.reset();

		this.api
			.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW,
					batch(ticket,
							List.of(item("in1" + suffix, "managed/" + suffix + "/in"),
									item("in2" + suffix, "open/" + suffix + "/in"),
									item(managed, "elsewhere/a" + suffix), item(open, "elsewhere/b" + suffix))))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[?(@.index == 0)].field").value(org.hamcrest.Matchers.contains("homePrefix")))
			.andExpect(jsonPath("$.errors[?(@.index == 0)].message")
				.value(org.hamcrest.Matchers.contains(org.hamcrest.Matchers.containsString("of user " + managed))))
			.andExpect(jsonPath("$.errors[?(@.index == 1)].field").value(org.hamcrest.Matchers.contains("homePrefix")))
			.andExpect(jsonPath("$.errors[?(@.index == 1)].message")
				.value(org.hamcrest.Matchers.contains(org.hamcrest.Matchers.containsString("of user " + open))))
			.andExpect(jsonPath("$.errors[?(@.index == 2)].message")
				.value(org.hamcrest.Matchers.contains(org.hamcrest.Matchers.endsWith("is already managed"))))
			.andExpect(jsonPath("$.errors[?(@.index == 3)].message").value(org.hamcrest.Matchers
				.contains(org.hamcrest.Matchers.containsString("already has an open request"))));
		assertThat(this.recorder.calls()).isEmpty();
		assertNothingStored(ticket);
	}

	@Test
	void theSameBatchAgainIsASafeReplayAndAnotherBodyForItsTicketAConflict() throws Exception {
		String ticket = AwsFixtures.unique("RPL-");
		Map<String, Object> body = batch(ticket, List.of(item("pia" + ticket.substring(4), null)));
		long id = PortalApi.id(this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, body)
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString());
		this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, body)
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id));
		Map<String, Object> other = batch(ticket, List.of(item("quentin" + ticket.substring(4), null)));
		this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, other)
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("/problems/conflict"));
		this.api.call(get("/api/v1/request-batches/" + id), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.items", hasSize(1)));
	}

	@Test
	void theSubmitterCannotApproveTheirOwnBatchNorAnIntegrationAndAnApproverRejectsIt() throws Exception {
		String ticket = AwsFixtures.unique("REJ-");
		List<Map<String, Object>> items = List.of(item("rita" + ticket.substring(4), null),
				item("sven" + ticket.substring(4), null));
		long id = PortalApi.id(this.api.call(post("/api/v1/request-batches"), PortalApi.CAROL, batch(ticket, items))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString());
		this.api.call(post("/api/v1/request-batches/" + id + "/approve"), PortalApi.CAROL, Map.of())
			.andExpect(status().isForbidden())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("/problems/forbidden"));
		this.api.call(post("/api/v1/request-batches/" + id + "/approve"), PortalApi.SERVICENOW, Map.of())
			.andExpect(status().isForbidden());
		this.api.call(post("/api/v1/request-batches/" + id + "/reject"), PortalApi.BOB, Map.of())
			.andExpect(status().isBadRequest());
		this.api.call(post("/api/v1/request-batches/" + id + "/reject"), PortalApi.BOB, Map.of("reason", "not now"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.counts.REJECTED").value(2))
			.andExpect(jsonPath("$.items[*].status")
				.value(org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("REJECTED"))));
		this.api.call(post("/api/v1/request-batches/" + id + "/approve"), PortalApi.BOB, Map.of())
			.andExpect(status().isConflict());
		this.api.call(get("/api/v1/request-batches/987654321"), PortalApi.REPORTING, null)
			.andExpect(status().isNotFound());
	}

	@Test
	void tooManyItemsAreRefusedNamingTheLimit() throws Exception {
		Map<String, Object> one = item("tina", null);
		List<Map<String, Object>> items = new ArrayList<>();
		for (int i = 0; i < 501; i++) {
			items.add(one);
		}
		this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, batch(AwsFixtures.unique("BIG-"), items))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("requests"))
			.andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.containsString("500")))
			.andExpect(jsonPath("$.errors[0].index").doesNotExist());
	}

	@Test
	void aFailedItemIsRetriedAloneWhileTheOthersStayActive() throws Exception {
		String ticket = AwsFixtures.unique("FLD-");
		String suffix = ticket.substring(4);
		String doomed = this.aws.bucket();
		Map<String, Object> failing = item("uma" + suffix, null);
		failing.put("bucket", doomed);
		List<Map<String, Object>> items = List.of(item("vera" + suffix, null), failing, item("walt" + suffix, null));
		String created = this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, batch(ticket, items))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = PortalApi.id(created);
		long failingRequest = ((Number) JsonPath.read(created, "$.items[1].requestId")).longValue();
		// the second item's bucket disappears after submission
		this.s3.deleteBucket((r) -> r.bucket(doomed));
		this.api.call(post("/api/v1/request-batches/" + id + "/approve"), PortalApi.BOB, Map.of())
			.andExpect(status().isOk());
		this.api.awaitStatus(failingRequest, "FAILED");
		awaitCount(id, "ACTIVE", 2);
		this.api.call(get("/api/v1/request-batches/" + id), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.items[1].status").value("FAILED"))
			.andExpect(jsonPath("$.items[1].failureMessage").isString());

		this.s3.createBucket((r) -> r.bucket(doomed));
		this.recorder.reset();
		this.api.call(post("/api/v1/requests/" + failingRequest + "/retry"), PortalApi.SERVICENOW, null)
			.andExpect(status().isAccepted());
		awaitCount(id, "ACTIVE", 3);
		// only the failed item ran again
		assertThat(this.recorder.writes()).isNotEmpty();
		assertThat(this.recorder.callsAbout("vera" + suffix, "walt" + suffix)).isEmpty();
	}

	@Test
	void eachItemsStatusChangesAreCalledBackToTheBatchsUrlWithTheItemsIndex() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		receiver.createContext("/hooks/batch", (exchange) -> {
			if (exchange.getRequestHeaders().getFirst("X-Portal-Signature") != null) {
				received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			}
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			String ticket = AwsFixtures.unique("CB-");
			Map<String, Object> body = batch(ticket,
					List.of(item("xena" + ticket.substring(3), null), item("yuri" + ticket.substring(3), null)));
			body.put("callbackUrl", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/batch");
			String created = this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, body)
				.andExpect(status().isCreated())
				.andReturn()
				.getResponse()
				.getContentAsString();
			long first = ((Number) JsonPath.read(created, "$.items[0].requestId")).longValue();
			long second = ((Number) JsonPath.read(created, "$.items[1].requestId")).longValue();
			await().atMost(Duration.ofSeconds(120))
				.untilAsserted(() -> assertThat(received)
					.extracting((callback) -> JsonPath.read(callback, "$.requestId") + " "
							+ JsonPath.read(callback, "$.ticketRef") + " " + JsonPath.read(callback, "$.status"))
					.contains(first + " " + ticket + "#0 PENDING_APPROVAL",
							second + " " + ticket + "#1 PENDING_APPROVAL"));

			body.put("ticketRef", AwsFixtures.unique("CB-"));
			body.put("callbackUrl", "http://169.254.169.254/latest/meta-data/");
			this.api.call(post("/api/v1/request-batches"), PortalApi.SERVICENOW, body)
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.errors[0].field").value("callbackUrl"))
				.andExpect(jsonPath("$.errors[0].index").doesNotExist());
		}
		finally {
			receiver.stop(0);
		}
	}

	private void assertNothingStored(String ticket) throws Exception {
		this.api.call(get("/api/v1/requests?ticketRef=" + ticket), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.totalItems").value(0));
		this.api.call(get("/api/v1/request-batches?ticketRef=" + ticket), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.items", hasSize(0)));
	}

	private void awaitCount(long id, String status, int expected) {
		await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			String response = this.api.call(get("/api/v1/request-batches/" + id), PortalApi.REPORTING, null)
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(((Number) JsonPath.read(response, "$.counts." + status)).intValue()).as(response)
				.isEqualTo(expected);
		});
	}

	private static Map<String, Object> batch(String ticket, List<Map<String, Object>> items) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", ticket);
		body.put("requests", items);
		return body;
	}

	private Map<String, Object> item(String user, String homePrefix) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("serverId", this.server);
		item.put("userName", user);
		item.put("bucket", this.bucket);
		if (homePrefix != null) {
			item.put("homePrefix", homePrefix);
		}
		item.put("kmsKeyArn", this.key);
		item.put("sshPublicKeys", List.of(TestKeys.newEcdsaKey(user)));
		return item;
	}

}
