package io.transferportal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import io.transferportal.support.PortalIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal starts without reaching AWS and answers the health check the Docker image
 * and Kubernetes use.
 */
@PortalIntegrationTest
class PortalApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	HealthEndpointGroups groups;

	@Test
	void healthEndpointIsUp() {
		String body = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health/liveness")
			.retrieve()
			.body(String.class);
		assertThat(body).contains("\"status\":\"UP\"");
	}

	/**
	 * Readiness needs the database, liveness nothing outside the process, and neither
	 * group holds the AWS indicator: an AWS outage shows in {@code /actuator/health}
	 * (here UP, moto answers) without restarting or unrouting the replicas.
	 */
	@Test
	void theProbesGroupsHoldTheDatabaseButNotAws() {
		HealthEndpointGroup readiness = this.groups.get("readiness");
		HealthEndpointGroup liveness = this.groups.get("liveness");
		assertThat(readiness.isMember("db")).isTrue();
		assertThat(readiness.isMember("readinessState")).isTrue();
		assertThat(readiness.isMember("aws")).isFalse();
		assertThat(liveness.isMember("livenessState")).isTrue();
		assertThat(liveness.isMember("db")).isFalse();
		assertThat(liveness.isMember("aws")).isFalse();
		RestClient client = RestClient.create("http://127.0.0.1:" + this.port);
		assertThat(client.get().uri("/actuator/health/readiness").retrieve().body(String.class))
			.contains("\"status\":\"UP\"");
		assertThat(client.get().uri("/actuator/health").retrieve().body(String.class)).contains("\"status\":\"UP\"");
	}

	/**
	 * The session travels in its cookie only: a page for a new session (the sign-in page)
	 * and the error page of a form posted after the session expired (no CSRF token the
	 * server knows) link their stylesheets without {@code ;jsessionid=}.
	 */
	@Test
	void noLinkCarriesTheSessionId() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		URI base = URI.create("http://127.0.0.1:" + this.port);
		HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body()).contains("stylesheet").doesNotContainIgnoringCase("jsessionid");
		HttpResponse<String> expired = client.send(HttpRequest.newBuilder(base.resolve("/requests"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString("userName=ann&_csrf=stale"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(expired.statusCode()).isEqualTo(403);
		assertThat(expired.body()).contains("stylesheet").doesNotContainIgnoringCase("jsessionid");
	}

}
