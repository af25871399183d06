package io.transferportal.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The portal's REST API with one bearer token, as a ticketing system calls it. */
final class PortalClient {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final URI base;

	private final String token;

	PortalClient(HttpClient http, URI base, String token) {
		this.http = http;
		this.base = base;
		this.token = token;
	}

	static HttpClient http() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	Response get(String path) {
		return send(request(path).GET().build());
	}

	Response post(String path, Object body) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString((body != null) ? JSON.writeValueAsString(body) : ""))
			.build());
	}

	HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofMinutes(2))
			.header("Authorization", "Bearer " + this.token)
			.header("Accept", "application/json");
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.method() + " " + request.uri() + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response: status and body.
	 *
	 * @param status the HTTP status
	 * @param body the body as text
	 */
	record Response(int status, String body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		/** This response, if its status is one of these; else an error naming both. */
		Response expect(int... statuses) {
			for (int expected : statuses) {
				if (this.status == expected) {
					return this;
				}
			}
			throw new IllegalStateException(
					"HTTP " + this.status + ": " + this.body.substring(0, Math.min(this.body.length(), 1000)));
		}

	}

}
