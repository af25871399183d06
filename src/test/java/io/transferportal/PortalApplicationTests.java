package io.transferportal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
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
