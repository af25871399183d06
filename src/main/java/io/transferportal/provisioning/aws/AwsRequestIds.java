package io.transferportal.provisioning.aws;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The AWS request ids of the calls that change AWS state, collected on the current thread
 * while an action runs, so that each applied change can name the CloudTrail events it
 * caused (CloudTrail records every management call with its {@code requestID}:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * <p>
 * The ids are handed over by an interceptor on every client
 * ({@link AwsClientsConfiguration}), so the resources make their calls as usual and never
 * pass ids around. The SDK's synchronous clients run interceptors on the calling thread.
 * Calls made outside {@link #during} are not collected.
 */
public final class AwsRequestIds {

	private static final ThreadLocal<@Nullable List<String>> CURRENT = new ThreadLocal<>();

	private AwsRequestIds() {
	}

	/**
	 * Runs the action and returns the request ids of the AWS calls that change state it
	 * made on this thread, in call order, including calls AWS refused (CloudTrail records
	 * those too, with their error code). If the action throws, the ids are lost with it;
	 * the failed call's id is on the exception ({@link #of(Throwable)}). Scopes nest: the
	 * ids of an inner scope also count for the outer one.
	 */
	public static List<String> during(Runnable action) {
		List<String> outer = CURRENT.get();
		List<String> ids = new ArrayList<>();
		CURRENT.set(ids);
		try {
			action.run();
		}
		finally {
			if (outer != null) {
				outer.addAll(ids);
				CURRENT.set(outer);
			}
			else {
				CURRENT.remove();
			}
		}
		return List.copyOf(ids);
	}

	/**
	 * The request id of the AWS call that caused a failure, if AWS answered it (a
	 * connection that failed has none).
	 */
	public static @Nullable String of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof AwsServiceException service) {
				return usable(service.requestId());
			}
		}
		return null;
	}

	/** Called by the clients' interceptor for each answered call that changes state. */
	static void record(@Nullable String requestId) {
		List<String> ids = CURRENT.get();
		String id = usable(requestId);
		if (ids != null && id != null) {
			ids.add(id);
		}
	}

	/** The SDK reports a response without a request id as {@code UNKNOWN}. */
	private static @Nullable String usable(@Nullable String requestId) {
		if (requestId == null || requestId.isBlank() || "UNKNOWN".equals(requestId)) {
			return null;
		}
		return requestId.strip();
	}

}
