package io.transferportal.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The portal as an operator runs it: {@code java -jar} in its own process, with its
 * settings as command-line arguments. Start-up is timed to the first healthy readiness
 * probe; memory is read from {@code /proc/<pid>/status} (Linux).
 */
final class PortalProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Process process;

	private final URI base;

	private final double startSeconds;

	private PortalProcess(Process process, URI base, double startSeconds) {
		this.process = process;
		this.base = base;
		this.startSeconds = startSeconds;
	}

	/**
	 * Starts the portal and waits until it is ready.
	 * @param jar the executable jar
	 * @param jvmArgs options for the JVM, such as {@code -Xmx512m} (none: what
	 * {@code java -jar} gives)
	 * @param properties the portal's settings
	 * @param log where its output goes
	 */
	static PortalProcess start(Path jar, List<String> jvmArgs, Map<String, String> properties, Path log)
			throws IOException, InterruptedException {
		int port = Integer.parseInt(properties.get("server.port"));
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArgs);
		command.add("-jar");
		command.add(jar.toString());
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		// the emulator accepts any signed request: these only sign them
		builder.environment().put("AWS_ACCESS_KEY_ID", BenchAws.CREDENTIALS.accessKeyId());
		builder.environment().put("AWS_SECRET_ACCESS_KEY", BenchAws.CREDENTIALS.secretAccessKey());
		builder.environment().put("AWS_REGION", BenchAws.REGION);
		long started = System.nanoTime();
		Process process = builder.start();
		URI base = URI.create("http://127.0.0.1:" + port);
		long deadline = started + TimeUnit.MINUTES.toNanos(5);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The portal exited with " + process.exitValue() + "; see " + log);
			}
			if (ready(base)) {
				return new PortalProcess(process, base, (System.nanoTime() - started) / 1e9);
			}
			Thread.sleep(50);
		}
		process.destroyForcibly();
		throw new IllegalStateException("The portal was not ready within 5 minutes; see " + log);
	}

	private static boolean ready(URI base) {
		try {
			HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(2))
				.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	URI base() {
		return this.base;
	}

	double startSeconds() {
		return this.startSeconds;
	}

	/** Resident memory now, in MB (VmRSS). */
	double residentMegabytes() {
		return status("VmRSS:");
	}

	/** The most resident memory since the process started, in MB (VmHWM). */
	double peakResidentMegabytes() {
		return status("VmHWM:");
	}

	private double status(String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(this.process.pid()), "status"))) {
				if (line.startsWith(field)) {
					// "VmRSS: 123456 kB"
					return Long.parseLong(line.substring(field.length()).replace("kB", "").strip()) / 1024.0;
				}
			}
			return Double.NaN;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
	}

	/** Stops the portal as an orchestrator would (SIGTERM, then SIGKILL after 60 s). */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
