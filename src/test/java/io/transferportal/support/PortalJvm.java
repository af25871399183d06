package io.transferportal.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.transferportal.PortalApplication;

/**
 * The portal in a JVM of its own, started from the tests' class path (so with the test
 * configuration's accounts and tokens), that a test can kill as the kernel would:
 * SIGKILL, no shutdown hook, nothing flushed. What an in-process "crash" cannot show: the
 * database and AWS as a dead process left them.
 */
public final class PortalJvm implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Process process;

	private final URI base;

	private PortalJvm(Process process, URI base) {
		this.process = process;
		this.base = base;
	}

	/**
	 * Starts the portal and waits until it is ready.
	 * @param properties its settings, as command-line arguments (they win over the test
	 * configuration); {@code server.port} must be set
	 * @param log where its output goes (appended)
	 */
	public static PortalJvm start(Map<String, String> properties, Path log) throws IOException, InterruptedException {
		return start(List.of(System.getProperty("java.class.path").split(File.pathSeparator)), null, properties, log);
	}

	/**
	 * Starts the portal as it is packaged, without the test classes and the test
	 * configuration (so with a profile's own accounts and tokens), in a working directory
	 * of its own (where relative paths such as {@code ./data} lie), and waits until it is
	 * ready.
	 * @param directory its working directory
	 * @param properties its settings, as command-line arguments; {@code server.port} must
	 * be set
	 * @param log where its output goes (appended)
	 */
	public static PortalJvm startPackaged(Path directory, Map<String, String> properties, Path log)
			throws IOException, InterruptedException {
		return start(mainClassPath(), directory, properties, log);
	}

	private static List<String> mainClassPath() {
		Path testClasses;
		try {
			testClasses = Path.of(PortalJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		// absolute, for a JVM in another working directory
		return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
			.map((entry) -> Path.of(entry).toAbsolutePath())
			.filter((entry) -> !entry.equals(testClasses.toAbsolutePath()))
			.map(Path::toString)
			.toList();
	}

	private static PortalJvm start(List<String> classPath, @Nullable Path directory, Map<String, String> properties,
			Path log) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// a short-lived JVM: quick start-up over peak speed
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-XX:+UseSerialGC");
		command.add("-Xmx512m");
		command.add("-cp");
		command.add(String.join(File.pathSeparator, classPath));
		command.add(PortalApplication.class.getName());
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		if (directory != null) {
			builder.directory(directory.toFile());
		}
		// the emulator accepts any signed request: these only sign them
		builder.environment().put("AWS_ACCESS_KEY_ID", "test");
		builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
		Process process = builder.start();
		URI base = URI.create("http://127.0.0.1:" + properties.get("server.port"));
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The portal exited with " + process.exitValue() + "; see " + log);
			}
			if (ready(base)) {
				return new PortalJvm(process, base);
			}
			Thread.sleep(100);
		}
		process.destroyForcibly();
		throw new IllegalStateException("The portal was not ready within 4 minutes; see " + log);
	}

	private static boolean ready(URI base) {
		try {
			return HTTP
				.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	public URI base() {
		return this.base;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The processes the portal started (and they theirs), while they run. */
	public Stream<ProcessHandle> descendants() {
		return this.process.descendants();
	}

	/**
	 * Stops the portal as a terminal's Ctrl-C or an orchestrator would (SIGTERM), without
	 * killing it, and waits until it is gone.
	 * @return its exit status
	 * @throws IllegalStateException if it is still running after 2 minutes (it is killed
	 * then)
	 */
	public int terminate() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(2, TimeUnit.MINUTES)) {
			kill();
			throw new IllegalStateException("The portal did not stop within 2 minutes of SIGTERM");
		}
		return this.process.exitValue();
	}

	/** SIGKILL, and waits until the process is gone. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stops the portal as an orchestrator would (SIGTERM, then SIGKILL after 60 s). */
	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				kill();
			}
		}
	}

}
