package io.transferportal.ticketing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A ticketing system creates a request with a callback URL and receives a signed callback
 * for every status change, the first delivery failing once and being retried.
 */
@PortalIntegrationTest
class CallbackApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	HttpServer receiver;

	final List<Received> received = new CopyOnWriteArrayList<>();

	final AtomicInteger calls = new AtomicInteger();

	@BeforeEach
	void startReceiver() throws Exception {
		this.receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.receiver.createContext("/hooks/portal", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			int call = this.calls.incrementAndGet();
			this.received.add(new Received(new String(body, StandardCharsets.UTF_8),
					exchange.getRequestHeaders().getFirst("X-Portal-Signature"),
					exchange.getRequestHeaders().getFirst("X-Portal-Event-Id"), (call == 1) ? 503 : 204));
			// the very first delivery fails
			exchange.sendResponseHeaders((call == 1) ? 503 : 204, -1);
			exchange.close();
		});
		this.receiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.receiver.stop(0);
	}

	@Test
	void everyStatusChangeIsCalledBackSignedAndAFailedDeliveryIsRetried() throws Exception {
		String callbackUrl = "http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/hooks/portal";
		Map<String, Object> body = Map.of("ticketRef", "INC-9001", "serverId", this.aws.sftpServer(), "userName", "uma",
				"bucket", this.aws.bucket(), "kmsKeyArn", this.aws.rootDelegatingKey(), "sshPublicKeys",
				List.of(TestKeys.ED25519_B), "callbackUrl", callbackUrl);
		String created = this.mvc
			.perform(post("/api/v1/requests").header("Authorization", "Bearer " + PortalApi.SERVICENOW)
				.contentType(MediaType.APPLICATION_JSON)
				.content(PortalApi.JSON.writeValueAsString(body)))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = ((Number) JsonPath.read(created, "$.id")).longValue();
		this.mvc
			.perform(post("/api/v1/requests/" + id + "/approve").header("Authorization", "Bearer " + PortalApi.BOB)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("APPROVED"));

		await().atMost(Duration.ofSeconds(120))
			.untilAsserted(() -> assertThat(delivered()).extracting((r) -> (String) JsonPath.read(r.body(), "$.status"))
				.containsExactlyInAnyOrder("PENDING_APPROVAL", "APPROVED", "PROVISIONING", "ACTIVE"));

		Received first = this.received.get(0);
		assertThat(first.answer()).isEqualTo(503);
		assertThat(this.received.stream().filter((r) -> r.eventId().equals(first.eventId())))
			.as("the failed delivery was retried with the same event id")
			.hasSize(2);
		for (Received callback : this.received) {
			assertThat(callback.signature())
				.isEqualTo("sha256=" + hmacSha256(callback.body(), "servicenow-callback-secret"));
			assertThat((Number) JsonPath.read(callback.body(), "$.requestId")).isEqualTo((int) id);
			assertThat((String) JsonPath.read(callback.body(), "$.ticketRef")).isEqualTo("INC-9001");
			assertThat((String) JsonPath.read(callback.body(), "$.eventId")).isEqualTo(callback.eventId());
			assertThat((String) JsonPath.read(callback.body(), "$.occurredAt")).isNotBlank();
			assertThat((String) JsonPath.read(callback.body(), "$.summary")).isNotBlank();
		}
		assertThat(delivered()).filteredOn((r) -> JsonPath.read(r.body(), "$.status").equals("ACTIVE"))
			.singleElement()
			.satisfies(
					(r) -> assertThat((String) JsonPath.read(r.body(), "$.previousStatus")).isEqualTo("PROVISIONING"));
	}

	@Test
	void callbackToAHostThatIsNotAllowedIsRefusedBeforeAnythingIsStored() throws Exception {
		Map<String, Object> body = Map.of("ticketRef", "INC-9002", "serverId", "s-0123456789abcdef0", "userName", "vic",
				"bucket", "payments-inbox", "kmsKeyArn",
				"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "sshPublicKeys",
				List.of(TestKeys.ED25519_B), "callbackUrl", "http://169.254.169.254/latest/meta-data/");
		this.mvc
			.perform(post("/api/v1/requests").header("Authorization", "Bearer " + PortalApi.SERVICENOW)
				.contentType(MediaType.APPLICATION_JSON)
				.content(PortalApi.JSON.writeValueAsString(body)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("callbackUrl"));
	}

	/** Computed here independently of the portal's signer, as a receiver would. */
	private static String hmacSha256(String body, String secret) throws Exception {
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

	private List<Received> delivered() {
		return this.received.stream().filter((r) -> r.answer() == 204).toList();
	}

	record Received(String body, String signature, String eventId, int answer) {
	}

}
