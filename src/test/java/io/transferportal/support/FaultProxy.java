package io.transferportal.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP proxy in front of the AWS emulator that makes it behave like a network and a
 * service under load: it holds every call for a set delay (the round trip to a real AWS
 * endpoint), answers a share of the calls with a fault instead (a 500, a 503, throttling,
 * or a connection dropped before or after the emulator applied the call), and counts
 * calls per service and operation ({@link AwsCallClassifier}) and faults per kind.
 * <p>
 * Fault answers have the shape each protocol has on real AWS, so the SDK classifies and
 * retries them as it would there: JSON protocols (KMS, Transfer) carry the code in
 * {@code x-amzn-ErrorType} and {@code __type}, the query protocol (IAM, STS) in an
 * {@code ErrorResponse} document, S3 in an {@code Error} document (its throttling is 503
 * {@code SlowDown}). Codes from the services' API references: KMS and Transfer
 * {@code ThrottlingException}, IAM {@code Throttling} and {@code ServiceFailure}, S3
 * {@code SlowDown} and {@code InternalError}.
 */
public final class FaultProxy implements AutoCloseable {

	/** Headers the JDK's HTTP client sets itself, and hop-by-hop headers. */
	private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
			"transfer-encoding", "keep-alive", "proxy-connection", "te", "trailer");

	private final URI target;

	private final HttpServer server;

	private final ExecutorService executor;

	private final HttpClient client;

	private final CallCounter counter = new CallCounter();

	private final Map<Fault, LongAdder> injected = new ConcurrentHashMap<>();

	// seeded: the same calls in the same order get the same faults
	private final SplittableRandom random = new SplittableRandom(20261203L);

	private volatile Duration delay = Duration.ZERO;

	private volatile Faults faults = Faults.none();

	private final Queue<OneFault> once = new ConcurrentLinkedQueue<>();

	private volatile @Nullable Predicate<AwsCall> interceptor;

	private volatile @Nullable Predicate<AwsCall> afterApplied;

	static {
		// the JDK's server writes an answer's headers and body apart, so without
		// TCP_NODELAY every answer waited ~40 ms for the client's delayed ACK (Nagle).
		// Read once, when the server's configuration loads, before any server starts.
		System.setProperty("sun.net.httpserver.nodelay", "true");
	}

	private FaultProxy(URI target) throws IOException {
		this.target = target;
		// one thread per call in flight, so that the delay never queues calls behind
		// each other
		this.executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "fault-proxy");
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

	public static FaultProxy start(URI target) throws IOException {
		return new FaultProxy(target);
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	public CallCounter counter() {
		return this.counter;
	}

	public void delay(Duration delay) {
		this.delay = delay;
	}

	public Duration delay() {
		return this.delay;
	}

	/** From now on, calls fail as {@code faults} says. */
	public void faults(Faults faults) {
		this.faults = faults;
	}

	/**
	 * The next call {@code calls} accepts gets {@code fault}, once (before the share of
	 * {@link #faults}); for tests that need one fault at one exact place.
	 */
	public void once(Predicate<AwsCall> calls, Fault fault) {
		this.once.add(new OneFault(calls, fault));
	}

	/**
	 * Shows every call to {@code interceptor} before it is forwarded (after the delay);
	 * when it answers {@code true} the call is dropped, its connection closed unanswered.
	 * A test kills the portal there, at an exact point between two AWS calls.
	 * {@code null} removes it.
	 */
	public void interceptor(@Nullable Predicate<AwsCall> interceptor) {
		this.interceptor = interceptor;
	}

	/**
	 * Shows every call to {@code afterApplied} once moto has answered it, before the
	 * answer is passed on; when it answers {@code true} the answer is dropped, the
	 * connection closed. A test kills the portal there: AWS applied the call, the portal
	 * never learnt it. {@code null} removes it.
	 */
	public void afterApplied(@Nullable Predicate<AwsCall> afterApplied) {
		this.afterApplied = afterApplied;
	}

	/** Whether every {@link #once} fault has been injected. */
	public boolean onceDone() {
		return this.once.isEmpty();
	}

	/**
	 * Faults injected since the start (or the last {@link #resetInjected()}), by kind.
	 */
	public Map<Fault, Long> injected() {
		Map<Fault, Long> counts = new EnumMap<>(Fault.class);
		this.injected.forEach((fault, count) -> counts.put(fault, count.sum()));
		return counts;
	}

	/** All faults injected, of every kind. */
	public long injectedTotal() {
		return this.injected.values().stream().mapToLong(LongAdder::sum).sum();
	}

	public void resetInjected() {
		this.injected.clear();
		this.once.clear();
	}

	private Fault nextFault(AwsCall call) {
		for (OneFault next : this.once) {
			if (next.calls().test(call) && this.once.remove(next)) {
				return next.fault();
			}
		}
		Faults current = this.faults;
		if (current.kinds().isEmpty() || !current.calls().test(call)) {
			return null;
		}
		synchronized (this.random) {
			if (this.random.nextDouble() >= current.share()) {
				return null;
			}
			return current.kinds().get(this.random.nextInt(current.kinds().size()));
		}
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
			AwsCall call = AwsCallClassifier.classify(method, uri.getRawPath(), uri.getRawQuery(),
					headers.getFirst("Authorization"), headers.getFirst("X-Amz-Target"),
					headers.getFirst("Content-Type"), body);
			this.counter.record(call, System.nanoTime());
			Duration wait = this.delay;
			if (!wait.isZero()) {
				Thread.sleep(wait.toMillis());
			}
			Predicate<AwsCall> intercept = this.interceptor;
			if (intercept != null && intercept.test(call)) {
				return;
			}
			Fault fault = nextFault(call);
			if (fault != null) {
				this.injected.computeIfAbsent(fault, (kind) -> new LongAdder()).increment();
			}
			if (fault == Fault.DROPPED_BEFORE) {
				// closing an exchange that sent no headers closes its connection
				return;
			}
			if (fault != null && fault != Fault.DROPPED_AFTER) {
				sendFault(exchange, call, fault, method);
				return;
			}
			HttpResponse<byte[]> response = forward(exchange, uri, method, body);
			Predicate<AwsCall> applied = this.afterApplied;
			if (fault == Fault.DROPPED_AFTER || (applied != null && applied.test(call))) {
				return;
			}
			response.headers().map().forEach((name, values) -> {
				String lower = name.toLowerCase(Locale.ROOT);
				// a HEAD response tells the object's size in Content-Length without a
				// body
				boolean headLength = "content-length".equals(lower) && "HEAD".equalsIgnoreCase(method);
				if ((!NOT_FORWARDED.contains(lower) || headLength) && !lower.startsWith(":")) {
					exchange.getResponseHeaders().put(name, values);
				}
			});
			send(exchange, method, response.statusCode(), response.body());
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

	private HttpResponse<byte[]> forward(HttpExchange exchange, URI uri, String method, byte[] body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(this.target
				.resolve(uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "")))
			.timeout(Duration.ofMinutes(2))
			.method(method, (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
			if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
				header.getValue().forEach((value) -> request.header(header.getKey(), value));
			}
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static void send(HttpExchange exchange, String method, int status, byte[] body) throws IOException {
		boolean empty = body.length == 0 || "HEAD".equalsIgnoreCase(method) || status == 204 || status == 304;
		exchange.sendResponseHeaders(status, empty ? -1 : body.length);
		if (!empty) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	private static void sendFault(HttpExchange exchange, AwsCall call, Fault fault, String method) throws IOException {
		String requestId = UUID.randomUUID().toString();
		String message = "Injected by the test's fault proxy";
		exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
		switch (call.service()) {
			case "iam", "sts" -> {
				int status = switch (fault) {
					case INTERNAL_ERROR -> 500;
					case SERVICE_UNAVAILABLE -> 503;
					default -> 400;
				};
				String code = switch (fault) {
					case INTERNAL_ERROR -> "ServiceFailure";
					case SERVICE_UNAVAILABLE -> "ServiceUnavailable";
					default -> "Throttling";
				};
				exchange.getResponseHeaders().set("Content-Type", "text/xml");
				send(exchange, method, status,
						("<ErrorResponse><Error><Type>" + ((status == 400) ? "Sender" : "Receiver") + "</Type><Code>"
								+ code + "</Code><Message>" + message + "</Message></Error><RequestId>" + requestId
								+ "</RequestId></ErrorResponse>")
							.getBytes(StandardCharsets.UTF_8));
			}
			case "s3" -> {
				int status = (fault == Fault.INTERNAL_ERROR) ? 500 : 503;
				String code = switch (fault) {
					case INTERNAL_ERROR -> "InternalError";
					case SERVICE_UNAVAILABLE -> "ServiceUnavailable";
					default -> "SlowDown";
				};
				exchange.getResponseHeaders().set("Content-Type", "application/xml");
				exchange.getResponseHeaders().set("x-amz-request-id", requestId);
				send(exchange, method, status,
						("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
								+ "</Message><RequestId>" + requestId + "</RequestId></Error>")
							.getBytes(StandardCharsets.UTF_8));
			}
			default -> {
				int status = switch (fault) {
					case INTERNAL_ERROR -> 500;
					case SERVICE_UNAVAILABLE -> 503;
					default -> 400;
				};
				String code = switch (fault) {
					case INTERNAL_ERROR ->
						"kms".equals(call.service()) ? "KMSInternalException" : "InternalServiceError";
					case SERVICE_UNAVAILABLE -> "ServiceUnavailableException";
					default -> "ThrottlingException";
				};
				exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
				exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
				send(exchange, method, status, ("{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}")
					.getBytes(StandardCharsets.UTF_8));
			}
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/** What a faulty call gets instead of the emulator's answer. */
	public enum Fault {

		/** HTTP 500: the service failed (the call was not applied). */
		INTERNAL_ERROR,

		/** HTTP 503: the service is unavailable (the call was not applied). */
		SERVICE_UNAVAILABLE,

		/** The service's throttling answer (the call was not applied). */
		THROTTLING,

		/** The connection closes before the call reaches the emulator. */
		DROPPED_BEFORE,

		/**
		 * The emulator applies the call, then the connection closes before the answer
		 * arrives: the client cannot know that its write happened.
		 */
		DROPPED_AFTER

	}

	/**
	 * Which calls fail and how.
	 *
	 * @param share the share of the matching calls that get a fault, 0 to 1
	 * @param kinds the faults, chosen with equal chance
	 * @param calls the calls faults apply to
	 */
	public record Faults(double share, List<Fault> kinds, Predicate<AwsCall> calls) {

		public static Faults none() {
			return new Faults(0, List.of(), (call) -> false);
		}

		/** {@code share} of every call, one of {@code kinds} each. */
		public static Faults of(double share, Fault... kinds) {
			return new Faults(share, List.of(kinds), (call) -> true);
		}

		/** The same faults, on the calls {@code calls} accepts only. */
		public Faults onlyFor(Predicate<AwsCall> calls) {
			return new Faults(this.share, this.kinds, calls);
		}

	}

	private record OneFault(Predicate<AwsCall> calls, Fault fault) {
	}

}
