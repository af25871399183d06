package io.transferportal.provisioning.aws;

import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Hands the request id of every answered AWS call that changes state to
 * {@link AwsRequestIds}: from the response metadata of a success, from the exception of a
 * failure.
 */
class AwsRequestIdInterceptor implements ExecutionInterceptor {

	/** Operations that only read AWS state (the portal makes no other kind of read). */
	private static final Pattern READ = Pattern.compile("(Get|Describe|List|Head).*");

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		if (changesState(attributes) && context.response() instanceof AwsResponse response) {
			AwsRequestIds.record(response.responseMetadata().requestId());
		}
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		if (changesState(attributes) && context.exception() instanceof AwsServiceException failure) {
			AwsRequestIds.record(failure.requestId());
		}
	}

	private static boolean changesState(ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		return operation != null && !READ.matcher(operation).matches();
	}

}
