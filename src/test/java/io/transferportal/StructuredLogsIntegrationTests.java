package io.transferportal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;

import io.transferportal.support.AwsFixtures;
import io.transferportal.support.CallbackReceiver;
import io.transferportal.support.MotoEndpointInitializer;
import io.transferportal.support.MotoTestConfiguration;
import io.transferportal.support.PortalApi;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The production log format (Spring Boot's structured logging, ECS JSON) on a full run:
 * every line is one JSON object; every line a provisioning run logs carries its request
 * id and ticket reference; and no line of the whole run, start-up included, holds a
 * secret: no account's password or API token, no API client's token or callback secret,
 * no token a caller sent that the portal refused, no AWS secret key. The run signs in
 * with a password, submits and approves through the API and delivers signed callbacks.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "logging.structured.format.console=ecs")
@AutoConfigureMockMvc
@Import({ MotoTestConfiguration.class, StructuredLogsIntegrationTests.DistinctAwsCredentials.class })
@ContextConfiguration(initializers = MotoEndpointInitializer.class)
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIntegrationTests {

	static final String AWS_SECRET = "log-test-aws-secret-key-0123456789abcdefgh";

	static final String REFUSED_TOKEN = "refused-token-0123456789abcdefghijklmnop";

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	Environment environment;

	@Test
	void aRunLogsJsonLinesWithItsRequestAndTicketAndNoSecret(CapturedOutput output) throws Exception {
		this.mvc.perform(formLogin("/login").user("alice").password("alice-password")).andExpect(authenticated());
		this.mvc.perform(formLogin("/login").user("alice").password("bob-password")).andExpect(unauthenticated());
		PortalApi api = new PortalApi(this.mvc);
		api.call(get("/api/v1/requests"), REFUSED_TOKEN, null).andExpect(status().isUnauthorized());

		String ticket = AwsFixtures.unique("LOGS-");
		long id;
		try (CallbackReceiver receiver = CallbackReceiver.start()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("ticketRef", ticket);
			body.put("serverId", this.aws.sftpServer());
			body.put("userName", AwsFixtures.unique("logs"));
			body.put("bucket", this.aws.bucket());
			body.put("kmsKeyArn", this.aws.keyWithoutRootDelegation());
			body.put("sshPublicKeys", List.of(TestKeys.ED25519_A));
			body.put("callbackUrl", receiver.url());
			id = api.provision(body);
			// the status changes, signed with the client's callback secret
			await().atMost(Duration.ofMinutes(2)).until(() -> receiver.received() >= 4);
		}

		List<JsonNode> lines = new ArrayList<>();
		for (String line : output.getOut().lines().toList()) {
			if (line.startsWith("{")) {
				lines.add(PortalApi.JSON.readTree(line));
			}
		}
		assertThat(lines).as("JSON lines").isNotEmpty();
		assertThat(lines).allSatisfy((line) -> assertThat(
				// ECS nests dotted names: log.level is {"log":{"level":...}}
				line.has("@timestamp") && line.path("log").has("level") && line.path("log").has("logger")
						&& line.has("message"))
			.as(line.toString())
			.isTrue());
		String prefix = "Request " + id + ":";
		List<JsonNode> run = lines.stream()
			.filter((line) -> line.path("message").asString().startsWith(prefix))
			.toList();
		// started, a line per resource the run applied, and the result
		assertThat(run).as("the run's lines").hasSizeGreaterThanOrEqualTo(5);
		assertThat(run).allSatisfy((line) -> {
			assertThat(line.path("requestId").asString()).as(line.toString()).isEqualTo(String.valueOf(id));
			assertThat(line.path("ticketRef").asString()).as(line.toString()).isEqualTo(ticket);
		});
		assertThat(run).last()
			.satisfies((line) -> assertThat(line.path("message").asString()).isEqualTo(prefix + " User provisioned"));
		// nothing outside a run carries its ids: the MDC is cleared after each run
		assertThat(lines).filteredOn((line) -> line.path("requestId").asString().equals(String.valueOf(id)))
			.allSatisfy((line) -> assertThat(line.path("message").asString()).startsWith(prefix));

		String everything = output.getAll();
		List<String> secrets = secrets();
		assertThat(secrets).as("the secrets of the test configuration").hasSizeGreaterThanOrEqualTo(12);
		for (String secret : secrets) {
			assertThat(everything).as("the log holds no secret").doesNotContain(secret);
		}
	}

	/**
	 * Every password, token and callback secret the test configuration bootstraps, the
	 * refused token, and the AWS secret key.
	 */
	private List<String> secrets() {
		List<String> secrets = new ArrayList<>(List.of(REFUSED_TOKEN, AWS_SECRET));
		for (int i = 0; i < 10; i++) {
			for (String key : List.of("portal.bootstrap.accounts[" + i + "].password",
					"portal.bootstrap.accounts[" + i + "].api-token", "portal.bootstrap.api-clients[" + i + "].token",
					"portal.bootstrap.api-clients[" + i + "].callback-secret")) {
				String value = this.environment.getProperty(key);
				if (value != null && !value.isBlank()) {
					secrets.add(value);
				}
			}
		}
		return secrets;
	}

	/** AWS credentials whose secret the log must never show. */
	@TestConfiguration(proxyBeanMethods = false)
	static class DistinctAwsCredentials {

		@Bean
		@Primary
		AwsCredentialsProvider distinctAwsCredentials() {
			return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIALOGTEST0123456789", AWS_SECRET));
		}

	}

}
