package io.transferportal;

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

}
