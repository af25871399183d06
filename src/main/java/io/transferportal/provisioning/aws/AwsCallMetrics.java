package io.transferportal.provisioning.aws;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Times every AWS call the portal makes, by service, operation and outcome
 * ({@code portal.aws.calls}): from the moment the service's bulkhead let it through to
 * its last answer, the SDK's retries included. The outcome is {@code success},
 * {@code not_found} (which many reads expect), {@code throttled}, {@code client_error},
 * {@code server_error} or {@code unreachable} (no answer at all), a handful of values
 * whatever AWS answers. Added to every client where the application has metrics
 * ({@link AwsClientsConfiguration}).
 */
class AwsCallMetrics implements ExecutionInterceptor {

	private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("PortalAwsCallStarted");

	private final MeterRegistry registry;

	AwsCallMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		attributes.putAttribute(STARTED, this.registry.config().clock().monotonicTime());
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		record(attributes, "success");
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		record(attributes, outcome(context.exception()));
	}

	static String outcome(Throwable failure) {
		if (!(failure instanceof AwsServiceException service)) {
			return "unreachable";
		}
		if (service.isThrottlingException()) {
			return "throttled";
		}
		if (AwsErrors.isNotFound(service)) {
			return "not_found";
		}
		return (service.statusCode() >= 500) ? "server_error" : "client_error";
	}

	private void record(ExecutionAttributes attributes, String outcome) {
		Long started = attributes.getAttribute(STARTED);
		if (started == null) {
			return;
		}
		Timer.builder("portal.aws.calls")
			.description("AWS calls by service, operation and outcome, retries included")
			.tag("service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)))
			.tag("operation", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)))
			.tag("outcome", outcome)
			.register(this.registry)
			.record(this.registry.config().clock().monotonicTime() - started, TimeUnit.NANOSECONDS);
	}

}
