package io.transferportal.provisioning.aws;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.transfer.model.ResourceNotFoundException;

import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;

/**
 * The one table from AWS error codes to what the portal does about them.
 * <p>
 * Codes are matched as strings because emulators and AWS disagree on exception types:
 * moto answers a missing Transfer user with {@code UserNotFound}, AWS with
 * {@code ResourceNotFoundException}.
 */
public final class AwsErrors {

	private static final Set<String> NOT_FOUND = Set.of("ResourceNotFoundException", "UserNotFound", "ServerNotFound",
			"PublicKeyNotFound", "NoSuchEntity", "NotFoundException", "NoSuchBucket", "NotFound",
			"ServerSideEncryptionConfigurationNotFoundError");

	/**
	 * Not the resource itself but what holds it: moto answers DescribeUser on a deleted
	 * server with this code (AWS with a ResourceNotFoundException of resource type
	 * Server), and a user on a server that is gone is not a missing user.
	 */
	private static final Set<String> PARENT_NOT_FOUND = Set.of("ServerNotFound");

	/**
	 * IAM, Transfer and KMS name it; S3 answers a conditional write
	 * ({@code If-None-Match:
	 * *}) on a key that exists with {@code PreconditionFailed}
	 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
	 */
	private static final Set<String> ALREADY_EXISTS = Set.of("ResourceExistsException", "EntityAlreadyExists",
			"AlreadyExistsException", "PreconditionFailed");

	private AwsErrors() {
	}

	public static String code(AwsServiceException ex) {
		String code = (ex.awsErrorDetails() != null) ? ex.awsErrorDetails().errorCode() : null;
		return (code != null) ? code : "HTTP " + ex.statusCode();
	}

	public static boolean isNotFound(AwsServiceException ex) {
		return NOT_FOUND.contains(code(ex)) || ex.statusCode() == 404;
	}

	public static boolean isAlreadyExists(AwsServiceException ex) {
		return ALREADY_EXISTS.contains(code(ex));
	}

	/** S3 answers HeadBucket on a bucket of another account with a bare 403. */
	public static boolean isAccessDenied(AwsServiceException ex) {
		return ex.statusCode() == 403 || "AccessDenied".equals(code(ex)) || "AccessDeniedException".equals(code(ex));
	}

	/**
	 * Whether a failure reported by {@link #failure} was caused by AWS answering that the
	 * resource already exists (a concurrent or interrupted earlier attempt created it).
	 */
	public static boolean isAlreadyExists(ProvisioningException ex) {
		return ex.getCause() instanceof AwsServiceException service && isAlreadyExists(service);
	}

	/**
	 * Whether AWS answered that the resource already exists to a call the SDK had sent
	 * before in the same operation: its retry strategy sends a call again whose answer
	 * was lost (a dropped connection, a 5xx), so the first send may have created it. A
	 * failure on the first send means someone else did.
	 */
	public static boolean isAlreadyExistsAfterResend(ProvisioningException ex) {
		return ex.getCause() instanceof AwsServiceException service && isAlreadyExists(service)
				&& service.numAttempts() != null && service.numAttempts() > 1;
	}

	/**
	 * Runs one AWS call; every SDK failure becomes a {@link ProvisioningException}
	 * through {@link #failure}.
	 */
	public static <T> T call(ResourceKind resource, String operation, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (SdkException ex) {
			throw failure(resource, operation, ex);
		}
	}

	/**
	 * Runs one AWS call, again while it fails with what the retry template includes
	 * (answers that mean "not visible yet", which the SDK's retry strategy does not
	 * retry); the last failure becomes a {@link ProvisioningException}.
	 */
	public static <T> T callRetrying(ResourceKind resource, String operation, RetryTemplate retry, Supplier<T> call) {
		try {
			return retry.execute(call::get);
		}
		catch (RetryException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof SdkException sdk) {
				throw failure(resource, operation, sdk);
			}
			// not an AWS answer: let it through as a direct call would
			if (cause instanceof RuntimeException unchecked) {
				throw unchecked;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new ProvisioningException(resource, operation + " failed", cause);
		}
	}

	/** Runs one AWS call that returns nothing. */
	public static void run(ResourceKind resource, String operation, Runnable call) {
		call(resource, operation, () -> {
			call.run();
			return null;
		});
	}

	/**
	 * Whether AWS answered that what holds the resource does not exist: Transfer's
	 * ResourceNotFoundException names the resource type it did not find, which for
	 * DescribeUser is Server or User
	 * (https://docs.aws.amazon.com/transfer/latest/APIReference/API_ResourceNotFoundException.html).
	 */
	public static boolean isParentNotFound(AwsServiceException ex) {
		return PARENT_NOT_FOUND.contains(code(ex)) || (ex instanceof ResourceNotFoundException notFound
				&& "Server".equalsIgnoreCase(notFound.resourceType()));
	}

	/** Reads a resource: {@code null} when AWS answers that it does not exist. */
	public static <T> @Nullable T findOrNull(ResourceKind resource, String operation, Supplier<T> read) {
		try {
			return read.get();
		}
		catch (AwsServiceException ex) {
			if (isNotFound(ex) && !PARENT_NOT_FOUND.contains(code(ex))) {
				return null;
			}
			throw failure(resource, operation, ex);
		}
		catch (SdkException ex) {
			throw failure(resource, operation, ex);
		}
	}

	/**
	 * Reads a resource held by another (a user on a server): {@code null} when AWS
	 * answers that the resource does not exist, a failure naming the holder when the
	 * holder does not.
	 * @param holder what holds the resource, as the failure names it
	 */
	public static <T> @Nullable T findOrNull(ResourceKind resource, String operation, String holder, Supplier<T> read) {
		try {
			return read.get();
		}
		catch (AwsServiceException ex) {
			if (isParentNotFound(ex)) {
				throw new ProvisioningException(resource,
						operation + " failed: " + holder + " no longer exists or is not available (" + code(ex) + ")",
						ex);
			}
			if (isNotFound(ex)) {
				return null;
			}
			throw failure(resource, operation, ex);
		}
		catch (SdkException ex) {
			throw failure(resource, operation, ex);
		}
	}

	/**
	 * Probes a resource by a call such as HeadBucket: whether it exists, does not, or may
	 * not be read (S3 answers 403 for a bucket of another account).
	 */
	public static Presence presence(ResourceKind resource, String operation, Runnable probe) {
		try {
			probe.run();
			return Presence.PRESENT;
		}
		catch (AwsServiceException ex) {
			if (isNotFound(ex)) {
				return Presence.NOT_FOUND;
			}
			if (isAccessDenied(ex)) {
				return Presence.ACCESS_DENIED;
			}
			throw failure(resource, operation, ex);
		}
		catch (SdkException ex) {
			throw failure(resource, operation, ex);
		}
	}

	/**
	 * Runs one AWS call for which some answers mean the desired state is already there:
	 * "already exists" when creating, "not found" when deleting (as after an interrupted
	 * run).
	 * @param harmless the answers to accept, e.g. {@code AwsErrors::isNotFound}
	 */
	public static void runIgnoring(ResourceKind resource, String operation, Predicate<AwsServiceException> harmless,
			Runnable call) {
		try {
			call.run();
		}
		catch (AwsServiceException ex) {
			if (!harmless.test(ex)) {
				throw failure(resource, operation, ex);
			}
		}
		catch (SdkException ex) {
			throw failure(resource, operation, ex);
		}
	}

	/**
	 * Wraps an SDK failure in a {@link ProvisioningException} whose message names the
	 * operation and the AWS error code and message, but carries no request ids,
	 * credentials or stack traces into the text.
	 */
	public static ProvisioningException failure(ResourceKind resource, String operation, SdkException ex) {
		String reason;
		if (ex instanceof AwsServiceException service) {
			String message = (service.awsErrorDetails() != null) ? service.awsErrorDetails().errorMessage() : null;
			reason = code(service) + ((message != null) ? ": " + firstLine(message) : "");
		}
		else {
			reason = unanswered(ex);
		}
		return new ProvisioningException(resource, operation + " failed (" + reason + ")", ex);
	}

	/**
	 * Why a call got no answer from AWS, in words: never the exception's class (no class
	 * name leaves the portal), never the SDK's long message (it names the endpoint's
	 * internals).
	 */
	static String unanswered(SdkException ex) {
		if (ex instanceof ApiCallTimeoutException || ex instanceof ApiCallAttemptTimeoutException) {
			return "AWS did not answer in time";
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnknownHostException) {
				return "AWS could not be reached: the endpoint's host name does not resolve";
			}
			if (cause instanceof ConnectException) {
				return "AWS could not be reached: the connection was refused";
			}
			if (cause instanceof SocketTimeoutException) {
				return "AWS did not answer in time";
			}
			if (cause instanceof SSLException) {
				return "AWS could not be reached: the TLS handshake failed";
			}
		}
		return "AWS could not be reached";
	}

	private static String firstLine(String message) {
		String line = message.lines().findFirst().orElse("");
		return (line.length() > 300) ? line.substring(0, 300) + "…" : line;
	}

	/** What a probe found. */
	public enum Presence {

		PRESENT, NOT_FOUND, ACCESS_DENIED

	}

}
