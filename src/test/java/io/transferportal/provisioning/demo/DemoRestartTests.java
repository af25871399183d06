package io.transferportal.provisioning.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.transferportal.support.LongTests;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalJvm;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo profile as the README runs it, in a JVM of its own (its own configuration, not
 * the tests'; its database {@code ./data/demo} in a working directory of its own), on
 * free ports: started, used, stopped with SIGTERM and started again, three times. Every
 * start with an emulator of its own begins on an empty database; an emulator that was
 * already running keeps the earlier users, and the demo its server and key.
 */
@Tag(LongTests.TAG)
class DemoRestartTests {

	/** application-demo.properties' integration and approver's tokens. */
	private static final String TICKETING = "demo-ticketing-token-0123456789abcdefgh";

	private static final String BOB = "demo-bob-personal-token-0123456789abcdef";

	private static final Pattern READY = Pattern
		.compile("Demo AWS emulator ready: Transfer server (\\S+), bucket (\\S+), KMS key (\\S+)");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path directory;

	private final int emulatorPort = freePort();

	private PortalJvm portal;

	private Process emulator;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.portal != null) {
			this.portal.close();
		}
		if (this.emulator != null) {
			this.emulator.destroyForcibly().waitFor();
		}
	}

	@Test
	void everyStartWithANewEmulatorBeginsOnAnEmptyDatabaseAndStopsCleanly() throws Exception {
		Path log = this.directory.resolve("demo.log");
		Start first = start(log);
		assertThat(first.log()).doesNotContain("Demo database reset");
		ProcessHandle emulator = first.emulator();
		long user = provision(first, "partner-one");
		assertThat(users(first, "")).isEqualTo(1);
		stopCleanly(first, emulator);

		for (String name : List.of("partner-two", "partner-three")) {
			Start next = start(log);
			// a new emulator, with new ids: none of the earlier users is listed, none
			// ERROR
			assertThat(next.log()).contains("Demo database reset");
			assertThat(next.server()).isNotEqualTo(first.server());
			assertThat(users(next, "")).isZero();
			assertThat(users(next, "?health=ERROR")).isZero();
			assertThat(provision(next, name)).isEqualTo(user);
			stopCleanly(next, next.emulator());
		}
	}

	@Test
	void anEmulatorThatWasAlreadyRunningKeepsTheDatabase() throws Exception {
		this.emulator = new ProcessBuilder(
				EmulatorCommand.of(this.directory.resolve("emulator"), "127.0.0.1", this.emulatorPort))
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("emulator.log").toFile())
			.start();
		URI answers = URI.create("http://127.0.0.1:" + this.emulatorPort + "/moto-api/");
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> HTTP
				.send(HttpRequest.newBuilder(answers).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200);
		Path log = this.directory.resolve("demo.log");
		Start first = start(log);
		assertThat(first.descendants()).as("emulators the demo started").isEmpty();
		provision(first, "partner-kept");
		stopCleanly(first, null);
		assertThat(this.emulator.isAlive()).as("the emulator the demo did not start").isTrue();

		Start second = start(log);
		assertThat(second.log()).doesNotContain("Demo database reset");
		assertThat(second.server()).isEqualTo(first.server());
		assertThat(second.key()).isEqualTo(first.key());
		String user = get(second, "/users/" + second.server() + "/partner-kept", TICKETING);
		assertThat(JsonPath.<List<String>>read(user, "$.checks[*].status")).hasSize(6).containsOnly("OK");
		assertThat(users(second, "?health=OK")).isEqualTo(1);
		stopCleanly(second, null);
	}

	/** Starts the demo and waits until its emulator is seeded. */
	private Start start(Path log) throws IOException, InterruptedException {
		long offset = Files.exists(log) ? Files.size(log) : 0;
		this.portal = PortalJvm.startPackaged(this.directory, Map.of("spring.profiles.active", "demo", "server.port",
				String.valueOf(freePort()), "portal.aws.endpoint", "http://127.0.0.1:" + this.emulatorPort), log);
		// the seeding runs before the portal reports itself ready
		Start start = new Start(this.portal, log, offset);
		assertThat(READY.matcher(start.log()).find()).as(start.log()).isTrue();
		return start;
	}

	/**
	 * Stops the demo as Ctrl-C or an orchestrator does, and checks that it exits 0,
	 * logging no error, and that the emulator it started is gone.
	 */
	private void stopCleanly(Start start, ProcessHandle emulator) throws Exception {
		int status = this.portal.terminate();
		this.portal = null;
		String output = start.log();
		assertThat(status).as(output).isZero();
		assertThat(output.lines()).as("error lines and stack traces")
			.noneMatch((line) -> line.contains(" ERROR ") || line.startsWith("\tat ") || line.startsWith("Caused by:")
					|| line.contains("Database is already closed"));
		if (emulator != null) {
			assertThat(emulator.isAlive()).as("the demo's emulator").isFalse();
			try (ServerSocket socket = new ServerSocket(this.emulatorPort, 1, InetAddress.getByName("127.0.0.1"))) {
				assertThat(socket.isBound()).as("the emulator's port is free again").isTrue();
			}
		}
	}

	/**
	 * Requests a user through the API as the README does, approves it with the id the API
	 * returned and waits until it is ACTIVE with all six checks OK.
	 * @return the request's id
	 */
	private long provision(Start start, String userName) throws Exception {
		String created = post(start, "/requests", TICKETING,
				Map.of("ticketRef", "INC-" + userName, "serverId", start.server(), "userName", userName, "bucket",
						start.bucket(), "kmsKeyArn", start.key(), "sshPublicKeys", List.of(TestKeys.ED25519_A),
						"accessLevel", "READ_WRITE"),
				201);
		long id = PortalApi.id(created);
		post(start, "/requests/" + id + "/approve", BOB, Map.of("comment", "checked the plan"), 200);
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(JsonPath.<String>read(get(start, "/requests/" + id, TICKETING), "$.status"))
				.isEqualTo("ACTIVE"));
		String user = get(start, "/users/" + start.server() + "/" + userName, TICKETING);
		assertThat(JsonPath.<List<String>>read(user, "$.checks[*].status")).as(user).hasSize(6).containsOnly("OK");
		return id;
	}

	private static long users(Start start, String query) throws Exception {
		return JsonPath.<Number>read(get(start, "/users" + query, TICKETING), "$.totalItems").longValue();
	}

	private static String get(Start start, String path, String token) throws Exception {
		HttpResponse<String> response = HTTP.send(request(start, path, token).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private static String post(Start start, String path, String token, Object body, int expected) throws Exception {
		HttpResponse<String> response = HTTP.send(request(start, path, token).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(PortalApi.JSON.writeValueAsString(body)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
		return response.body();
	}

	private static HttpRequest.Builder request(Start start, String path, String token) {
		return HttpRequest.newBuilder(URI.create(start.portal().base() + "/api/v1" + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One start of the demo: the portal, and its part of the log. */
	private record Start(PortalJvm portal, Path file, long offset, String server, String bucket, String key) {

		Start(PortalJvm portal, Path file, long offset) {
			this(portal, file, offset, ready(file, offset, 1), ready(file, offset, 2), ready(file, offset, 3));
		}

		private static String ready(Path file, long offset, int group) {
			Matcher matcher = READY.matcher(read(file, offset));
			return matcher.find() ? matcher.group(group) : "";
		}

		String log() {
			return read(this.file, this.offset);
		}

		private static String read(Path file, long offset) {
			try {
				byte[] bytes = Files.readAllBytes(file);
				return new String(bytes, (int) offset, bytes.length - (int) offset, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** The emulators the portal started. */
		List<ProcessHandle> descendants() {
			return this.portal.descendants()
				.filter((process) -> process.info().commandLine().orElse("").contains("transfer_extensions.py"))
				.toList();
		}

		/** The one emulator the portal started. */
		ProcessHandle emulator() {
			List<ProcessHandle> emulators = descendants();
			assertThat(emulators).as("emulators the demo started").hasSize(1);
			return emulators.get(0);
		}

	}

}
