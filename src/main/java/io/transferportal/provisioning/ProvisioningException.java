package io.transferportal.provisioning;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.aws.AwsRequestIds;

/**
 * An AWS step failed or found a state it must not change. The message is safe to show: it
 * names the resource and the AWS error code, never credentials or stack traces.
 */
public class ProvisioningException extends RuntimeException {

	private final ResourceKind resource;

	public ProvisioningException(ResourceKind resource, String message) {
		super(message);
		this.resource = resource;
	}

	public ProvisioningException(ResourceKind resource, String message, Throwable cause) {
		super(message, cause);
		this.resource = resource;
	}

	public ResourceKind resource() {
		return this.resource;
	}

	/**
	 * The request id of the AWS call that failed, if AWS answered it; kept out of the
	 * message, which stays the same from one attempt to the next.
	 */
	public @Nullable String awsRequestId() {
		return AwsRequestIds.of(this);
	}

}
