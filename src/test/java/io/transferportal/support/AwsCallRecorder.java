package io.transferportal.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Records every AWS call the portal's clients make, as {@code Service:Operation}. */
public class AwsCallRecorder implements ExecutionInterceptor {

	private static final Pattern READ = Pattern.compile("(Get|Describe|List|Head).*");

	private final List<String> calls = new CopyOnWriteArrayList<>();

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		this.calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
				+ attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
	}

	public void reset() {
		this.calls.clear();
	}

	public List<String> calls() {
		return List.copyOf(this.calls);
	}

	/** Calls that change AWS state: everything but Get/Describe/List/Head. */
	public List<String> writes() {
		return this.calls.stream()
			.filter((call) -> !READ.matcher(call.substring(call.indexOf(':') + 1)).matches())
			.toList();
	}

}
