package io.transferportal.ticketing.callback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.modulith.events.core.EventPublicationRegistry;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;
import io.transferportal.requests.RequestStatus;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A status change of an API request is POSTed, signed, to its callback URL after the
 * change commits, retried after a failure with the same event id, and every attempt is
 * visible to administrators; a host that is not allowed is never called.
 */
@PortalIntegrationTest
class CallbackDeliveryIntegrationTests {

	static final String SECRET = "s3cret-callback-key";

	/**
	 * A ceiling for waits on a loaded machine; the conditions usually hold in well under
	 * a second.
	 */
	static final Duration CEILING = Duration.ofSeconds(90);

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EventPublicationRegistry publications;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	AwsFixtures aws;

	HttpServer server;

	List<Received> received = new CopyOnWriteArrayList<>();

	AtomicInteger calls = new AtomicInteger();

	@BeforeEach
	void startReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/cb", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			this.received
				.add(new Received(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
						exchange.getRequestHeaders().getFirst("X-Portal-Event-Id"),
						exchange.getRequestHeaders().getFirst("X-Portal-Signature"),
						exchange.getRequestHeaders().getFirst("User-Agent"), body));
			exchange.sendResponseHeaders((this.calls.incrementAndGet() == 1) ? 500 : 204, -1);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stopReceiver() {
		this.server.stop(0);
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void statusChangeWhenCallbackUrlThenSignedPostRetriedUntilDelivered() throws Exception {
		String ticket = "CHG-" + UUID.randomUUID().toString().substring(0, 8);
		long requestId = submission(ticket,
				"http://127.0.0.1:" + this.server.getAddress().getPort() + "/cb?src=portal");
		Instant occurredAt = Instant.parse("2026-03-01T10:15:30Z");

		this.tx.executeWithoutResult((status) -> this.events
			.publishEvent(new AccessRequestStatusChanged(requestId, "s-0123456789abcdef0", "alice", ticket, null,
					RequestStatus.PENDING_APPROVAL, "api:servicenow", "Submitted through the API", occurredAt)));

		await().atMost(CEILING).until(() -> "DELIVERED".equals(deliveryStatus(requestId)));
		assertThat(this.received).hasSize(2);
		Received first = this.received.get(0);
		Received retry = this.received.get(1);
		assertThat(first.method()).isEqualTo("POST");
		assertThat(first.contentType()).isEqualTo("application/json");
		assertThat(first.userAgent()).isEqualTo("transfer-portal-callbacks");
		assertThat(first.eventId()).isNotBlank().isEqualTo(retry.eventId());
		assertThat(first.body()).isEqualTo(retry.body());
		assertThat(first.signature()).isEqualTo(hmac(first.body()));
		assertThat(retry.signature()).isEqualTo(hmac(retry.body()));

		JsonNode json = JsonMapper.builder().build().readTree(first.body());
		assertThat(json.get("eventId").asString()).isEqualTo(first.eventId());
		assertThat(json.get("requestId").asLong()).isEqualTo(requestId);
		assertThat(json.get("ticketRef").asString()).isEqualTo(ticket);
		assertThat(json.get("status").asString()).isEqualTo("PENDING_APPROVAL");
		assertThat(json.has("previousStatus")).isTrue();
		assertThat(json.get("previousStatus").isNull()).isTrue();
		assertThat(json.get("occurredAt").asString()).isEqualTo("2026-03-01T10:15:30Z");
		assertThat(json.get("summary").asString()).isEqualTo("Submitted through the API");

		this.mvc.perform(get("/admin/callbacks").param("requestId", Long.toString(requestId)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].eventId").value(first.eventId()))
			.andExpect(jsonPath("$[0].status").value("DELIVERED"))
			.andExpect(jsonPath("$[0].deliveredAt").isNotEmpty())
			.andExpect(jsonPath("$[0].attempts.length()").value(2))
			.andExpect(jsonPath("$[0].attempts[0].statusCode").value(500))
			.andExpect(jsonPath("$[0].attempts[1].statusCode").value(204));
		assertThat(this.jdbc.sql("select attempts from callback_delivery where request_id = ?")
			.param(requestId)
			.query(Integer.class)
			.single()).isEqualTo(2);
	}

	@Test
	void theActiveCallbackTellsHowToConnect() {
		String server = this.aws.sftpServer();
		UserSpec spec = AwsFixtures.spec(server, "vera", this.aws.bucket(), this.aws.rootDelegatingKey(),
				TestKeys.ED25519_A);
		long provisioned = this.requests.submitProvision(spec, null, Actor.person("alice")).id();
		this.requests.approve(provisioned, Actor.person("bob"), null);
		await().atMost(CEILING)
			.until(() -> this.requests.find(provisioned).orElseThrow().status() == RequestStatus.ACTIVE);
		String ticket = "CHG-" + UUID.randomUUID().toString().substring(0, 8);
		long requestId = submission(ticket, "http://127.0.0.1:" + this.server.getAddress().getPort() + "/cb");

		this.tx.executeWithoutResult((status) -> this.events
			.publishEvent(new AccessRequestStatusChanged(requestId, server, "vera", ticket, RequestStatus.PROVISIONING,
					RequestStatus.ACTIVE, "portal", "User provisioned", Instant.parse("2026-03-01T10:15:30Z"))));

		await().atMost(CEILING).until(() -> "DELIVERED".equals(deliveryStatus(requestId)));
		Received delivered = this.received.get(this.received.size() - 1);
		assertThat(delivered.signature()).isEqualTo(hmac(delivered.body()));
		JsonNode connection = JsonMapper.builder().build().readTree(delivered.body()).get("connection");
		assertThat(connection.get("host").asString()).isEqualTo(server + ".server.transfer.us-east-1.amazonaws.com");
		assertThat(connection.get("userName").asString()).isEqualTo("vera");
		assertThat(connection.get("hostKeyFingerprints")).hasSize(2);
		assertThat(connection.get("sftpCommand").asString())
			.isEqualTo("sftp -i <private key file> vera@" + server + ".server.transfer.us-east-1.amazonaws.com");
	}

	/**
	 * A status change handed over again (as the registry resubmits a publication whose
	 * completion was lost) is delivered once: deliveries are keyed by the event's id.
	 * <p>
	 * The second hand-over starts once the first is done, as a resubmission would. Two
	 * equal events in flight at the same moment are not a case the portal produces, and
	 * the registry tracks publications in progress by event and listener, so it would
	 * lose one of them.
	 */
	@Test
	void statusChangeWhenEventHandedOverTwiceThenOneDelivery() {
		String ticket = "CHG-" + UUID.randomUUID().toString().substring(0, 8);
		long requestId = submission(ticket, "http://127.0.0.1:" + this.server.getAddress().getPort() + "/cb");
		AccessRequestStatusChanged event = new AccessRequestStatusChanged(requestId, "s-0123456789abcdef0", "alice",
				ticket, RequestStatus.PENDING_APPROVAL, RequestStatus.APPROVED, "bob", "Approved",
				Instant.parse("2026-03-02T08:00:00Z"));

		for (int handOver = 0; handOver < 2; handOver++) {
			this.tx.executeWithoutResult((status) -> this.events.publishEvent(event));
			// this hand-over completed (completed publications are deleted)
			await().atMost(CEILING).until(() -> pendingHandOvers(requestId) == 0);
		}

		await().atMost(CEILING).until(() -> "DELIVERED".equals(deliveryStatus(requestId)));
		assertThat(this.jdbc.sql("select count(*) from callback_delivery where request_id = ?")
			.param(requestId)
			.query(Integer.class)
			.single()).isEqualTo(1);
		// the receiver answers the first call with 500, so one delivery took two attempts
		assertThat(this.received).extracting(Received::eventId)
			.containsExactly(CallbackDispatcher.eventId(event), CallbackDispatcher.eventId(event));
	}

	/**
	 * The delivery is stored (so admins see it), but the sender checks the host again
	 * before every attempt and gives it up as FAILED without any call.
	 */
	@Test
	void statusChangeWhenHostNotAllowedThenNoCallAndFailed() {
		String ticket = "CHG-" + UUID.randomUUID().toString().substring(0, 8);
		long requestId = submission(ticket, "http://localhost:" + this.server.getAddress().getPort() + "/cb");

		this.tx.executeWithoutResult((status) -> this.events
			.publishEvent(new AccessRequestStatusChanged(requestId, "s-0123456789abcdef0", "alice", ticket, null,
					RequestStatus.PENDING_APPROVAL, "api:servicenow", "Submitted through the API", Instant.now())));

		await().atMost(CEILING).until(() -> "FAILED".equals(deliveryStatus(requestId)));
		assertThat(this.jdbc.sql("""
				select a.error from callback_attempt a join callback_delivery d on d.id = a.delivery_id
				where d.request_id = ?""").param(requestId).query(String.class).list()).singleElement()
			.asString()
			.contains("not allowed");
		assertThat(this.received).isEmpty();
	}

	@Test
	void statusChangeWhenNoSubmissionThenNoDelivery() {
		long requestId = accessRequest("CHG-" + UUID.randomUUID().toString().substring(0, 8));
		this.tx.executeWithoutResult(
				(status) -> this.events.publishEvent(new AccessRequestStatusChanged(requestId, "s-0123456789abcdef0",
						"alice", null, null, RequestStatus.PENDING_APPROVAL, "alice", "Submitted", Instant.now())));

		// the dispatcher has handled the event (its publication is completed), and stored
		// nothing
		await().atMost(CEILING).until(() -> pendingHandOvers(requestId) == 0);
		assertThat(deliveryStatus(requestId)).isNull();
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void adminCallbacksWhenNotAdminThenForbidden() throws Exception {
		this.mvc.perform(get("/admin/callbacks").param("requestId", "1")).andExpect(status().isForbidden());
	}

	/** Publications of this request's events to the dispatcher not completed yet. */
	private long pendingHandOvers(long requestId) {
		return this.publications.findIncompletePublications()
			.stream()
			.filter((publication) -> publication.getTargetIdentifier().getValue().contains("CallbackDispatcher"))
			.filter((publication) -> publication.getEvent() instanceof AccessRequestStatusChanged event
					&& event.requestId() == requestId)
			.count();
	}

	private String deliveryStatus(long requestId) {
		return this.jdbc.sql("select status from callback_delivery where request_id = ?")
			.param(requestId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/**
	 * An API client with a callback secret, and a request it submitted with this callback
	 * URL.
	 */
	private long submission(String ticket, String callbackUrl) {
		long requestId = accessRequest(ticket);
		String client = "servicenow-" + ticket;
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		this.jdbc.sql("""
				insert into api_client (name, token_hash, scopes, callback_secret, enabled, created_at)
				values (?, ?, 'requests:write', ?, true, ?)""")
			.params(client, DigestUtils.sha256Hex(client), SECRET, now)
			.update();
		this.jdbc
			.sql("""
					insert into ticket_submission (request_id, ticket_ref, kind, client, body_hash, callback_url, created_at)
					values (?, ?, 'PROVISION', ?, ?, ?, ?)""")
			.params(requestId, ticket, client, DigestUtils.sha256Hex(ticket), callbackUrl, now)
			.update();
		return requestId;
	}

	/**
	 * A stored request for the callbacks to refer to: closed (cancelled) and with a real
	 * spec and plan, because the context is shared with tests that read every request.
	 */
	private long accessRequest(String ticket) {
		String spec = """
				{"serverId":"s-0123456789abcdef0","userName":"alice","bucket":"payments-inbox","homePrefix":null,\
				"kmsKeyArn":"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",\
				"sshPublicKeys":[],"accessLevel":"READ_WRITE","roleArn":null,"tags":{}}""";
		String plan = "{\"kind\":\"PROVISION\",\"spec\":" + spec + ",\"changes\":[],\"problems\":[],\"fingerprint\":\""
				+ DigestUtils.sha256Hex(ticket) + "\"}";
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into access_request (kind, status, server_id, user_name, ticket_ref, requested_by, spec, plan,
					plan_fingerprint, retry_requested, created_at, updated_at, version)
				values ('PROVISION', 'CANCELLED', 's-0123456789abcdef0', 'alice', ?, 'api:servicenow', ?, ?,
					?, false, ?, ?, 0)""")
			.params(ticket, spec, plan, DigestUtils.sha256Hex(ticket), OffsetDateTime.now(ZoneOffset.UTC),
					OffsetDateTime.now(ZoneOffset.UTC))
			.update(keys, "id");
		return keys.getKeyAs(Long.class);
	}

	private static String hmac(byte[] body) {
		return "sha256=" + new HmacUtils(HmacAlgorithms.HMAC_SHA_256, SECRET).hmacHex(body);
	}

	record Received(String method, String contentType, String eventId, String signature, String userAgent,
			byte[] body) {
	}

}
