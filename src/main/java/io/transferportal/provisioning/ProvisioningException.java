package io.transferportal.provisioning;

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

}
