package io.transferportal.provisioning.aws;

import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

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

	private static final Set<String> ALREADY_EXISTS = Set.of("ResourceExistsException", "EntityAlreadyExists",
			"AlreadyExistsException");

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
			reason = ex.getClass().getSimpleName();
		}
		return new ProvisioningException(resource, operation + " failed (" + reason + ")", ex);
	}

	private static String firstLine(String message) {
		String line = message.lines().findFirst().orElse("");
		return (line.length() > 300) ? line.substring(0, 300) + "…" : line;
	}

}
