package io.transferportal.support;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.transferportal.provisioning.demo.EmulatorCommand;

/**
 * One {@code moto_server} per test JVM, on a free loopback port, started on first use and
 * stopped when the JVM exits. Tests isolate themselves by unique resource names, so the
 * server is never reset between them.
 * <p>
 * The server is moto's, started through {@code emulator/transfer_extensions.py}
 * ({@link EmulatorCommand}, as in the demo profile), which first adds the Transfer calls
 * moto lacks (UpdateUser, TagResource, UntagResource, ListTagsForResource, ListHostKeys).
 */
public final class MotoServer {

	private static URI endpoint;

	private MotoServer() {
	}

	public static synchronized URI endpoint() {
		if (endpoint == null) {
			endpoint = start();
		}
		return endpoint;
	}

	/**
	 * The properties that point a portal at this server, with short IAM-propagation
	 * retries (moto has no propagation delay).
	 */
	public static Map<String, Object> properties() {
		return Map.of("portal.aws.endpoint", endpoint().toString(), "portal.aws.region", "us-east-1",
				"portal.provisioning.iam-propagation.delay", "10ms", "portal.provisioning.iam-propagation.max-delay",
				"50ms");
	}

	/**
	 * A moto_server of the caller's own, for a test that changes the server's global
	 * state (e.g. switches on its IAM authorisation); stopped by
	 * {@link Dedicated#close()} or when the JVM exits.
	 */
	public static Dedicated dedicated() {
		return launch();
	}

	private static URI start() {
		return launch().endpoint();
	}

	private static Dedicated launch() {
		int port = freePort();
		File log = new File("target/moto-server-" + port + ".log");
		log.getParentFile().mkdirs();
		Process process;
		try {
			process = new ProcessBuilder(EmulatorCommand.of(Path.of("target", "moto"), "127.0.0.1", port))
				.redirectErrorStream(true)
				.redirectOutput(log)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start moto_server; install it with pip install 'moto[server]'",
					ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
		URI uri = URI.create("http://127.0.0.1:" + port);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("moto_server exited; see " + log.getAbsolutePath());
			}
			if (answers(uri)) {
				return new Dedicated(uri, process);
			}
			sleep();
		}
		process.destroy();
		throw new IllegalStateException("moto_server did not answer within 120 s; see " + log.getAbsolutePath());
	}

	private static boolean answers(URI uri) {
		try {
			HttpURLConnection connection = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
			connection.setConnectTimeout(500);
			connection.setReadTimeout(2000);
			return connection.getResponseCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A running moto_server.
	 *
	 * @param endpoint its loopback URL
	 * @param process the server's process
	 */
	public record Dedicated(URI endpoint, Process process) implements AutoCloseable {

		@Override
		public void close() {
			this.process.destroy();
		}

	}

}
