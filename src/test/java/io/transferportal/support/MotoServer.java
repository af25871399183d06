package io.transferportal.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code moto_server} per test JVM, on a free loopback port, started on first use and
 * stopped when the JVM exits. Tests isolate themselves by unique resource names, so the
 * server is never reset between them.
 * <p>
 * The server is moto's, started through {@code moto/transfer_extensions.py} (a test
 * resource) which first adds the Transfer calls moto lacks (UpdateUser, TagResource,
 * UntagResource, ListTagsForResource, ListHostKeys).
 */
public final class MotoServer {

	private static final String EXTENSIONS = "moto/transfer_extensions.py";

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

	private static URI start() {
		int port = freePort();
		File log = new File("target/moto-server-" + port + ".log");
		log.getParentFile().mkdirs();
		Process process;
		try {
			process = new ProcessBuilder(python(), extensions().toString(), "-H", "127.0.0.1", "-p",
					String.valueOf(port))
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
				return uri;
			}
			sleep();
		}
		process.destroy();
		throw new IllegalStateException("moto_server did not answer within 120 s; see " + log.getAbsolutePath());
	}

	/**
	 * The interpreter moto is installed in: the one a pip-installed {@code moto_server}
	 * names in its first line, else {@code python3} on the PATH (as for the pyenv shim, a
	 * shell script, that {@code moto_server} is on the development machines).
	 */
	private static String python() {
		return onPath("moto_server").flatMap(MotoServer::shebangPython).orElse("python3");
	}

	private static Optional<Path> onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		return List.of(path.split(File.pathSeparator))
			.stream()
			.filter((directory) -> !directory.isEmpty())
			.map((directory) -> Path.of(directory, command))
			.filter(Files::isExecutable)
			.findFirst();
	}

	private static Optional<String> shebangPython(Path script) {
		try (InputStream in = Files.newInputStream(script)) {
			String first = new String(in.readNBytes(256), StandardCharsets.UTF_8).lines().findFirst().orElse("");
			if (!first.startsWith("#!")) {
				return Optional.empty();
			}
			String interpreter = first.substring(2).trim().split("\\s+")[0];
			boolean python = interpreter.contains("python") && Files.isExecutable(Path.of(interpreter));
			return python ? Optional.of(interpreter) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/** The script out of the test classpath, as a file the interpreter can run. */
	private static Path extensions() {
		try (InputStream in = MotoServer.class.getClassLoader().getResourceAsStream(EXTENSIONS)) {
			if (in == null) {
				throw new IllegalStateException(EXTENSIONS + " is not on the test classpath");
			}
			Path script = Path.of("target", EXTENSIONS).toAbsolutePath();
			Files.createDirectories(script.getParent());
			// copied and moved into place, so a server another test JVM starts at the
			// same time never reads half a file
			Path copy = Files.createTempFile(script.getParent(), "transfer_extensions", ".tmp");
			Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
			Files.move(copy, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return script;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not copy " + EXTENSIONS + " to target", ex);
		}
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

}
