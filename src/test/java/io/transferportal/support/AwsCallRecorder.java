package io.transferportal.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import static org.awaitility.Awaitility.await;

/**
 * Records every AWS call the portal's clients make, as {@code Service:Operation}.
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

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	private final AtomicReference<Hook> hook = new AtomicReference<>();

	private final JdbcClient jdbc;

	public AwsCallRecorder(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		this.calls.add(new Call(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":" + operation,
				String.valueOf(context.request())));
		Hook next = this.hook.get();
		if (next != null && next.operation().equals(operation) && this.hook.compareAndSet(next, null)) {
			next.action().run();
		}
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

	private static boolean isWrite(String call) {
		return !READ.matcher(call.substring(call.indexOf(':') + 1)).matches();
	}

	private boolean idle() {
		return this.jdbc.sql(IDLE).query(Integer.class).single() == 0;
	}

	private record Call(String name, String request) {
	}

	private record Hook(String operation, Runnable action) {
	}

}
