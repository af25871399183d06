package io.transferportal.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy in front of the AWS emulator that holds every call for a set delay (the
 * round trip to a real AWS endpoint, which the emulator on loopback does not have) and
 * counts calls per service and operation ({@link AwsCallClassifier}).
 */
final class LatencyProxy implements AutoCloseable {

	/** Headers the JDK's HTTP client sets itself, and hop-by-hop headers. */
	private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
			"transfer-encoding", "keep-alive", "proxy-connection", "te", "trailer");

	private final URI target;

	private final HttpServer server;

	private final ExecutorService executor;

	private final HttpClient client;

	private final CallCounter counter = new CallCounter();

	private volatile Duration delay = Duration.ZERO;

	private LatencyProxy(URI target) throws IOException {
		this.target = target;
		// one thread per call in flight, so that the delay never queues calls behind
		// each other
		this.executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "latency-proxy");
			thread.setDaemon(true);
			return thread;
		});
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.executor(this.executor)
			.build();
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	static LatencyProxy start(URI target) throws IOException {
		return new LatencyProxy(target);
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	CallCounter counter() {
		return this.counter;
	}

	void delay(Duration delay) {
		this.delay = delay;
	}

	Duration delay() {
		return this.delay;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			URI uri = exchange.getRequestURI();
			String method = exchange.getRequestMethod();
			var headers = exchange.getRequestHeaders();
			this.counter.record(AwsCallClassifier.classify(method, uri.getRawPath(), uri.getRawQuery(),
					headers.getFirst("Authorization"), headers.getFirst("X-Amz-Target"),
					headers.getFirst("Content-Type"), body), System.nanoTime());
			Duration wait = this.delay;
			if (!wait.isZero()) {
				Thread.sleep(wait.toMillis());
			}
			HttpRequest.Builder request = HttpRequest
				.newBuilder(this.target
					.resolve(uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "")))
				.timeout(Duration.ofMinutes(2))
				.method(method, (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofByteArray(body));
			for (Map.Entry<String, List<String>> header : headers.entrySet()) {
				if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
					header.getValue().forEach((value) -> request.header(header.getKey(), value));
				}
			}
			HttpResponse<byte[]> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			response.headers().map().forEach((name, values) -> {
				String lower = name.toLowerCase(Locale.ROOT);
				// a HEAD response tells the object's size in Content-Length without a
				// body
				boolean headLength = "content-length".equals(lower) && "HEAD".equalsIgnoreCase(method);
				if ((!NOT_FORWARDED.contains(lower) || headLength) && !lower.startsWith(":")) {
					exchange.getResponseHeaders().put(name, values);
				}
			});
			byte[] responseBody = response.body();
			boolean empty = responseBody.length == 0 || "HEAD".equalsIgnoreCase(method) || response.statusCode() == 204
					|| response.statusCode() == 304;
			exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : responseBody.length);
			if (!empty) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(responseBody);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			exchange.sendResponseHeaders(503, -1);
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("proxy: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + ex);
			throw ex;
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
