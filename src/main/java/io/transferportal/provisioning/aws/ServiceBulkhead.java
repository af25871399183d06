package io.transferportal.provisioning.aws;

import org.springframework.util.ConcurrencyThrottleSupport;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * A bulkhead for one AWS service: at most so many of the portal's calls to it are under
 * way at once (retries and their back-off included, since a call holds its place until it
 * ends); a call beyond that waits for one to finish. Many runs at once then never press
 * one service harder than set, and a slow service holds at most that many callers.
 * <p>
 * An SDK interceptor, so every call of the client counts, also the pages a paginator
 * fetches; Spring's {@link ConcurrencyThrottleSupport} keeps the count.
 */
class ServiceBulkhead extends ConcurrencyThrottleSupport implements ExecutionInterceptor {

	private static final ExecutionAttribute<Boolean> ADMITTED = new ExecutionAttribute<>("portal.bulkhead.admitted");

	private final String service;

	ServiceBulkhead(String service, int maxConcurrentCalls) {
		this.service = service;
		setConcurrencyLimit(maxConcurrentCalls);
	}

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		beforeAccess();
		attributes.putAttribute(ADMITTED, true);
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		leave(attributes);
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		leave(attributes);
	}

	/** Only a call that was let in gives its place back (once). */
	private void leave(ExecutionAttributes attributes) {
		if (Boolean.TRUE.equals(attributes.getAttribute(ADMITTED))) {
			attributes.putAttribute(ADMITTED, false);
			afterAccess();
		}
	}

	@Override
	public String toString() {
		return "bulkhead " + this.service + " (" + getConcurrencyLimit() + " calls at once)";
	}

}
