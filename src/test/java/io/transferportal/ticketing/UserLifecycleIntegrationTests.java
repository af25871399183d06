package io.transferportal.ticketing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;

import io.transferportal.provisioning.SshKey;
import io.transferportal.requests.UserLifecycle;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.LifecycleIntegrationTest;
import io.transferportal.support.PortalApi;
import io.transferportal.support.TestClock;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A user's life through the API against moto, with the portal's clock moved: a rotation
 * keeps the old key for its overlap and then removes it without a second approval; access
 * expires (warned before, keys removed at expiry, role kept) and is extended; every step
 * is called back, signed, and audited.
 */
@LifecycleIntegrationTest
class UserLifecycleIntegrationTests {

	@Autowired
	MockMvc mvc;

	PortalApi api;

	@Autowired
	AwsFixtures aws;

	@Autowired
	TransferClient transfer;

	@Autowired
	IamClient iam;

	@Autowired
	UserLifecycle lifecycle;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	HttpServer receiver;

	final List<String> callbacks = new CopyOnWriteArrayList<>();

	String server;

	String bucket;

	String key;

	@BeforeEach
	void setUp() throws Exception {
		this.api = new PortalApi(this.mvc);
		this.clock.reset();
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
		this.receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.receiver.createContext("/hooks", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String signature = exchange.getRequestHeaders().getFirst("X-Portal-Signature");
			// only correctly signed callbacks count
			if (("sha256=" + hmac(body)).equals(signature)) {
				this.callbacks.add(body);
			}
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		this.receiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.receiver.stop(0);
	}

	@Test
	void aRotationKeepsTheOldKeyForTheOverlapThenRetiresItWithoutASecondApproval() throws Exception {
		String user = AwsFixtures.unique("rot");
		long provision = provision("INC-R1-" + user, user, TestKeys.ED25519_A, null);
		String path = "/api/v1/users/" + this.server + "/" + user;

		// the new key replaces the old one: a rotation, with the configured 7-day overlap
		String response = this.api
			.call(patch(path), PortalApi.SERVICENOW,
					Map.of("ticketRef", "INC-R2-" + user, "sshPublicKeys", List.of(TestKeys.ED25519_B), "callbackUrl",
							callbackUrl()))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.terms.retireKeys[0]").value(SshKey.fingerprintOf(TestKeys.ED25519_A)))
			.andExpect(jsonPath("$.terms.retireAfter").value("PT168H"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long rotation = PortalApi.id(response);
		List<String> changed = JsonPath.read(response, "$.plan.changes[?(@.action != 'NONE')].resource");
		assertThat(changed).as("only the Transfer user changes: the new key is added, the old one kept")
			.containsExactly("TRANSFER_USER");
		approve(rotation);
		this.api.awaitStatus(rotation, "ACTIVE");
		assertThat(keysOnTransfer(user)).containsExactlyInAnyOrder(identity(TestKeys.ED25519_A),
				identity(TestKeys.ED25519_B));
		String during = this.api.call(get(path), PortalApi.REPORTING, null)
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat((List<String>) JsonPath.read(during, "$.sshPublicKeys[?(@.status == 'RETIRING')].fingerprint"))
			.containsExactly(SshKey.fingerprintOf(TestKeys.ED25519_A));
		assertThat((String) JsonPath.read(during, "$.lifecycle.retireAt")).isNotBlank();

		// before the overlap ends nothing happens
		this.clock.advance(Duration.ofDays(6));
		this.lifecycle.runDue();
		assertThat(requestsOf(user, "RETIRE_KEYS")).isEmpty();

		this.clock.advance(Duration.ofDays(2));
		this.lifecycle.runDue();
		long retirement = requestsOf(user, "RETIRE_KEYS").get(0);
		this.api.awaitStatus(retirement, "ACTIVE");
		assertThat(keysOnTransfer(user)).as("read back from Transfer").containsExactly(identity(TestKeys.ED25519_B));
		this.api.call(get("/api/v1/requests/" + retirement), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.requestedBy").value("portal"))
			.andExpect(jsonPath("$.terms.coveredBy").value(Matchers.containsString("" + rotation)));
		this.api.call(get(path), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.lifecycle.retireAt").value(Matchers.nullValue()))
			.andExpect(jsonPath("$.sshPublicKeys.length()").value(1));
		assertThat(requestsOf(user, "RETIRE_KEYS")).as("done once").hasSize(1);
		assertThat(requestsOf(user, "PROVISION")).containsExactly(provision);

		awaitCallback(user, "SSH_KEYS_RETIRED");
		assertThat(this.callbacks.stream().filter((body) -> isEvent(body, user, "SSH_KEYS_RETIRED")))
			.as("told through the newest of the user's requests that asked for callbacks")
			.singleElement()
			.satisfies((body) -> assertThat((Number) JsonPath.read(body, "$.requestId")).isEqualTo((int) rotation));
		assertThat(auditActions(user)).contains("SSH_KEYS_RETIRED", "AWS_CHANGE");
	}

	@Test
	void accessExpiresAfterAWarningKeepsTheRoleAndAnExtensionBringsTheKeysBack() throws Exception {
		String user = AwsFixtures.unique("exp");
		Instant expiresAt = this.clock.instant().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
		long provision = provision("INC-E1-" + user, user, TestKeys.ED25519_C, expiresAt);
		String path = "/api/v1/users/" + this.server + "/" + user;
		this.api.call(get("/api/v1/requests/" + provision), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.terms.expiresAt").value(expiresAt.toString()));
		this.api.call(get(path), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.lifecycle.expiresAt").value(expiresAt.toString()))
			.andExpect(jsonPath("$.lifecycle.expiring").value(false));

		// 13 days before expiry: within the 14-day warning
		this.clock.advance(Duration.ofDays(7));
		this.lifecycle.runDue();
		this.api.call(get(path), PortalApi.REPORTING, null).andExpect(jsonPath("$.lifecycle.expiring").value(true));
		awaitCallback(user, "USER_EXPIRING");
		this.lifecycle.runDue();
		assertThat(this.callbacks.stream().filter((body) -> isEvent(body, user, "USER_EXPIRING"))).as("warned once")
			.hasSize(1);

		// at expiry the keys go, at once from two callers: one suspension
		this.clock.advance(Duration.ofDays(14));
		CompletableFuture<Integer> first = CompletableFuture.supplyAsync(this.lifecycle::runDue);
		CompletableFuture<Integer> second = CompletableFuture.supplyAsync(this.lifecycle::runDue);
		first.join();
		second.join();
		List<Long> expiries = requestsOf(user, "EXPIRE");
		assertThat(expiries).hasSize(1);
		this.api.awaitStatus(expiries.get(0), "ACTIVE");
		assertThat(keysOnTransfer(user)).as("no login is possible").isEmpty();
		this.api.call(get(path), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.lifecycle.suspension").value("EXPIRED"))
			.andExpect(jsonPath("$.active").value(true))
			// verified without its keys: role, policies and folder kept and in place
			.andExpect(jsonPath("$.checks.length()").value(6))
			.andExpect(jsonPath("$.checks[*].status", Matchers.everyItem(Matchers.is("OK"))));
		// every page: the shared emulator holds the roles of many tests
		assertThat(this.iam.listRolesPaginator((request) -> request.pathPrefix("/transfer-portal/")).roles())
			.as("the role is kept")
			.anyMatch((role) -> role.roleName().contains(user));
		awaitCallback(user, "USER_EXPIRED");

		// a change of an expired user must extend it
		this.api
			.call(patch(path), PortalApi.SERVICENOW, Map.of("ticketRef", "INC-E2-" + user, "accessLevel", "READ_ONLY"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("expiresAt"));
		this.api
			.call(patch(path), PortalApi.SERVICENOW,
					Map.of("ticketRef", "INC-E3-" + user, "expiresAt",
							this.clock.instant().minusSeconds(60).toString()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("expiresAt"));
		Instant extended = this.clock.instant().plus(Duration.ofDays(60)).truncatedTo(ChronoUnit.SECONDS);
		String response = this.api
			.call(patch(path), PortalApi.SERVICENOW,
					Map.of("ticketRef", "INC-E4-" + user, "expiresAt", extended.toString()))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long extension = PortalApi.id(response);
		List<String> changed = JsonPath.read(response, "$.plan.changes[?(@.action != 'NONE')].resource");
		assertThat(changed).as("the key comes back").containsExactly("TRANSFER_USER");
		// four eyes: the requester cannot approve its own extension
		this.api.call(post("/api/v1/requests/" + extension + "/approve"), PortalApi.SERVICENOW, Map.of())
			.andExpect(status().isForbidden());
		approve(extension);
		this.api.awaitStatus(extension, "ACTIVE");
		assertThat(keysOnTransfer(user)).containsExactly(identity(TestKeys.ED25519_C));
		this.api.call(get(path), PortalApi.REPORTING, null)
			.andExpect(jsonPath("$.lifecycle.suspension").value(Matchers.nullValue()))
			.andExpect(jsonPath("$.lifecycle.expiresAt").value(extended.toString()))
			.andExpect(jsonPath("$.checks[*].status", Matchers.everyItem(Matchers.is("OK"))));
		assertThat(auditActions(user)).contains("USER_EXPIRING", "USER_EXPIRED", "AWS_CHANGE");
	}

	@Test
	void anExpiryInThePastIsAFieldErrorAndNothingIsStored() throws Exception {
		String user = AwsFixtures.unique("past");
		Map<String, Object> body = body("INC-P1-" + user, user, TestKeys.ED25519_A);
		body.put("expiresAt", this.clock.instant().minus(Duration.ofDays(1)).toString());
		this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, body)
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("expiresAt"));
		assertThat(requestsOf(user, "PROVISION")).isEmpty();
	}

	private long provision(String ticket, String user, String sshKey, Instant expiresAt) throws Exception {
		Map<String, Object> body = body(ticket, user, sshKey);
		if (expiresAt != null) {
			body.put("expiresAt", expiresAt.toString());
		}
		long id = PortalApi.id(this.api.call(post("/api/v1/requests"), PortalApi.SERVICENOW, body)
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString());
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.BOB, Map.of()).andExpect(status().isOk());
		this.api.awaitStatus(id, "ACTIVE");
		return id;
	}

	private Map<String, Object> body(String ticket, String user, String sshKey) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", ticket);
		body.put("serverId", this.server);
		body.put("userName", user);
		body.put("bucket", this.bucket);
		body.put("kmsKeyArn", this.key);
		body.put("sshPublicKeys", List.of(sshKey));
		body.put("callbackUrl", callbackUrl());
		return body;
	}

	private void approve(long id) throws Exception {
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.CAROL, Map.of())
			.andExpect(status().isOk());
	}

	private List<String> keysOnTransfer(String user) {
		return this.transfer.describeUser((r) -> r.serverId(this.server).userName(user))
			.user()
			.sshPublicKeys()
			.stream()
			.map(SshPublicKey::sshPublicKeyBody)
			.map(SshKey::identity)
			.toList();
	}

	private static String identity(String key) {
		return SshKey.identity(key);
	}

	private List<Long> requestsOf(String user, String kind) {
		return this.jdbc.sql("select id from access_request where user_name = ? and kind = ? order by id")
			.params(user, kind)
			.query(Long.class)
			.list();
	}

	private List<String> auditActions(String user) {
		return this.jdbc.sql("select action from audit_entry where user_name = ? order by id")
			.param(user)
			.query(String.class)
			.list();
	}

	private void awaitCallback(String user, String event) {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.callbacks.stream().anyMatch((body) -> isEvent(body, user, event)));
	}

	private boolean isEvent(String body, String user, String event) {
		return event.equals(JsonPath.read(body, "$.status")) && body.contains(user);
	}

	private String callbackUrl() {
		return "http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/hooks";
	}

	private static String hmac(String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec("servicenow-callback-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
