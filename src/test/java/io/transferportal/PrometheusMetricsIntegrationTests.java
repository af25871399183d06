package io.transferportal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.support.AwsFixtures;
import io.transferportal.support.CallbackReceiver;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Prometheus scrapes {@code /actuator/prometheus} without signing in and finds, after a
 * provision through the API with a callback, the series an operator watches moved by what
 * happened: the request counted ACTIVE, its time from approval to ACTIVE in the
 * histogram, the AWS calls it made by service, operation and outcome, the user's health,
 * and the callback deliveries. The context is shared, so every figure is a difference
 * between a scrape before and one after.
 */
@PortalIntegrationTest
class PrometheusMetricsIntegrationTests {

	/** {@code name{label="value",...} number}. */
	static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");

	static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Test
	void aProvisionMovesTheSeriesAnOperatorWatches() throws Exception {
		try (CallbackReceiver receiver = CallbackReceiver.start()) {
			String before = scrape();
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("ticketRef", "METRICS-1");
			body.put("serverId", this.aws.sftpServer());
			body.put("userName", AwsFixtures.unique("metrics"));
			body.put("bucket", this.aws.bucket());
			body.put("kmsKeyArn", this.aws.rootDelegatingKey());
			body.put("sshPublicKeys", List.of(TestKeys.ED25519_A));
			body.put("callbackUrl", receiver.url());
			new PortalApi(this.mvc).provision(body);
			// the four status changes (pending, approved, provisioning, active) called
			// back
			await().atMost(Duration.ofMinutes(2)).until(() -> receiver.received() >= 4);

			// the request counts are read at most every ten seconds
			await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				String after = scrape();
				assertThat(delta(before, after, "portal_requests", Map.of("kind", "PROVISION", "status", "ACTIVE")))
					.as("requests counted ACTIVE")
					.isGreaterThanOrEqualTo(1);
				assertThat(sum(after, "portal_users", Map.of("health", "OK"))).as("users OK").isGreaterThanOrEqualTo(1);
			});
			String after = scrape();
			assertThat(delta(before, after, "portal_requests_approval_to_active_seconds_count",
					Map.of("kind", "PROVISION")))
				.as("approval to ACTIVE, counted")
				.isGreaterThanOrEqualTo(1);
			assertThat(sum(after, "portal_requests_approval_to_active_seconds_sum", Map.of("kind", "PROVISION")))
				.as("approval to ACTIVE, timed")
				.isPositive();
			assertThat(series(after, "portal_requests_approval_to_active_seconds_bucket", Map.of("kind", "PROVISION")))
				.as("a histogram, with buckets")
				.isGreaterThan(5);
			assertThat(delta(before, after, "portal_aws_calls_seconds_count",
					Map.of("service", "Transfer", "operation", "CreateUser", "outcome", "success")))
				.as("CreateUser calls")
				.isGreaterThanOrEqualTo(1);
			assertThat(delta(before, after, "portal_aws_calls_seconds_count",
					Map.of("service", "Iam", "operation", "CreateRole", "outcome", "success")))
				.as("CreateRole calls")
				.isGreaterThanOrEqualTo(1);
			assertThat(sum(after, "portal_aws_calls_seconds_sum", Map.of("service", "Transfer"))).as("latency")
				.isPositive();
			assertThat(delta(before, after, "portal_callbacks_attempts_total", Map.of("outcome", "delivered")))
				.as("callbacks delivered")
				.isGreaterThanOrEqualTo(4);
			assertThat(series(after, "portal_requests_lease_takeovers_total", Map.of())).as("takeovers, counted")
				.isEqualTo(1);
		}
	}

	/** As Prometheus scrapes it: no session, no token. */
	private String scrape() throws Exception {
		return this.mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private static double delta(String before, String after, String name, Map<String, String> labels) {
		return sum(after, name, labels) - sum(before, name, labels);
	}

	/** The sum of the samples named {@code name} that carry {@code labels}. */
	private static double sum(String scrape, String name, Map<String, String> labels) {
		return samples(scrape, name, labels).stream().mapToDouble(Double::doubleValue).sum();
	}

	private static int series(String scrape, String name, Map<String, String> labels) {
		return samples(scrape, name, labels).size();
	}

	private static List<Double> samples(String scrape, String name, Map<String, String> labels) {
		return scrape.lines()
			.filter((line) -> !line.startsWith("#"))
			.map(SAMPLE::matcher)
			.filter(Matcher::matches)
			.filter((sample) -> sample.group(1).equals(name))
			.filter((sample) -> labels(sample.group(2)).entrySet().containsAll(labels.entrySet()))
			.map((sample) -> Double.parseDouble(sample.group(3)))
			.toList();
	}

	private static Map<String, String> labels(String text) {
		Map<String, String> labels = new LinkedHashMap<>();
		if (text != null) {
			Matcher label = LABEL.matcher(text);
			while (label.find()) {
				labels.put(label.group(1), label.group(2));
			}
		}
		return labels;
	}

}
