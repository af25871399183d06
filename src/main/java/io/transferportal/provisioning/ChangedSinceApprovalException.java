package io.transferportal.provisioning;

/**
 * A resource changed after its plan was approved, so that applying it now would write
 * something the approval did not cover; nothing was written to that resource. The request
 * needs a new plan and a new approval.
 */
public class ChangedSinceApprovalException extends ProvisioningException {

	public ChangedSinceApprovalException(ResourceKind resource, String message) {
		super(resource, message);
	}

}
