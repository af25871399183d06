package io.transferportal.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import static org.awaitility.Awaitility.await;

/**
 * Records every AWS call the portal's clients make, as {@code Service:Operation}, and for
 * each answered call the User-Agent header sent and the request id header the service
 * answered with.
 * <p>
 * The recorder belongs to a context that several test classes share, so the calls of
 * other tests' background runs must not land in a test's window: {@link #reset()} first
 * waits until no request of the shared database is approved, provisioning or waiting for
 * a retry, and {@link #callsAbout} keeps only the calls naming a test's own resources.
 */
public class AwsCallRecorder implements ExecutionInterceptor {

	/** Operations that only read AWS state. */
	public static final Pattern READ = Pattern.compile("(Get|Describe|List|Head).*");

	private static final Duration IDLE_CEILING = Duration.ofSeconds(120);

	private static final String IDLE = "select count(*) from access_request"
			+ " where status in ('APPROVED', 'PROVISIONING') or retry_requested";

	/**
	 * The response headers that carry the request id: {@code x-amz-request-id} from S3,
	 * {@code x-amzn-RequestId} from the others (and from moto for every service).
	 */
	private static final List<String> REQUEST_ID_HEADERS = List.of("x-amzn-RequestId", "x-amz-request-id");

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	private final List<Answer> answers = new CopyOnWriteArrayList<>();

	private final AtomicReference<Hook> hook = new AtomicReference<>();

	private final JdbcClient jdbc;

	public AwsCallRecorder(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		// a synchronous client calls interceptors on the caller's thread
		this.calls.add(new Call(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":" + operation,
				String.valueOf(context.request()), Thread.currentThread(),
				TransactionSynchronizationManager.isActualTransactionActive()));
		Hook next = this.hook.get();
		if (next != null && next.operation().equals(operation) && this.hook.compareAndSet(next, null)) {
			next.action().run();
		}
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		answered(attributes, context.request().toString(), context.httpRequest(), context.httpResponse());
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		context.httpRequest()
			.ifPresent((http) -> answered(attributes, context.request().toString(), http,
					context.httpResponse().orElse(null)));
	}

	private void answered(ExecutionAttributes attributes, String request, SdkHttpRequest http,
			@Nullable SdkHttpResponse response) {
		String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
				+ attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		String requestId = (response != null) ? response.firstMatchingHeader(REQUEST_ID_HEADERS).orElse(null) : null;
		this.answers.add(new Answer(name, request, http.firstMatchingHeader("User-Agent").orElse(""), requestId));
	}

	/**
	 * Runs an action once, on the calling thread, just before the portal's next call of
	 * an operation (e.g. {@code PutKeyPolicy}): someone changing AWS in the middle of a
	 * run.
	 */
	public void beforeNext(String operation, Runnable action) {
		this.hook.set(new Hook(operation, action));
	}

	/** Waits until no provisioning run is under way or due, then forgets every call. */
	public void reset() {
		// no initial delay: the portal is nearly always idle, and some tests reset often
		await().pollDelay(Duration.ZERO)
			.atMost(IDLE_CEILING)
			.alias("no request approved, provisioning or due for a retry (" + IDLE + ")")
			.until(this::idle);
		this.calls.clear();
		this.answers.clear();
	}

	public List<String> calls() {
		return this.calls.stream().map(Call::name).toList();
	}

	/** Calls that change AWS state: everything but Get/Describe/List/Head. */
	public List<String> writes() {
		return calls().stream().filter(AwsCallRecorder::isWrite).toList();
	}

	/**
	 * The calls whose request names one of the given resources (server id, bucket, key
	 * id, role name, ...).
	 */
	public List<String> callsAbout(String... resources) {
		return this.calls.stream()
			.filter((call) -> Arrays.stream(resources).anyMatch(call.request()::contains))
			.map(Call::name)
			.toList();
	}

	/**
	 * The answered calls (also those that failed) whose request names one of the given
	 * resources.
	 */
	public List<Answer> answersAbout(String... resources) {
		return this.answers.stream()
			.filter((answer) -> Arrays.stream(resources).anyMatch(answer.request()::contains))
			.toList();
	}

	/** Answered calls since the last {@link #reset()}. */
	public List<Answer> answers() {
		return List.copyOf(this.answers);
	}

	private static boolean isWrite(String call) {
		return !READ.matcher(call.substring(call.indexOf(':') + 1)).matches();
	}

	private boolean idle() {
		return this.jdbc.sql(IDLE).query(Integer.class).single() == 0;
	}

	/**
	 * The calls made on a thread while it had a database transaction open (a connection
	 * held while AWS answers).
	 */
	public List<String> callsInTransactionOn(Thread thread) {
		return this.calls.stream()
			.filter((call) -> call.thread() == thread && call.inTransaction())
			.map(Call::name)
			.toList();
	}

	/** The calls made on a thread. */
	public List<String> callsOn(Thread thread) {
		return this.calls.stream().filter((call) -> call.thread() == thread).map(Call::name).toList();
	}

	private record Call(String name, String request, Thread thread, boolean inTransaction) {
	}

	/**
	 * One answered call.
	 *
	 * @param name {@code Service:Operation}
	 * @param request the SDK request, as text
	 * @param userAgent the User-Agent header sent
	 * @param requestId the request id header of the response, {@code null} if there was
	 * none
	 */
	public record Answer(String name, String request, String userAgent, @Nullable String requestId) {

		public boolean isWrite() {
			return AwsCallRecorder.isWrite(this.name);
		}

	}

	private record Hook(String operation, Runnable action) {
	}

}
