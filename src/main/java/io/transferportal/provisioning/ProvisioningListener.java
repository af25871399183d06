package io.transferportal.provisioning;

/** Receives progress while a plan is applied, e.g. to store and show each step live. */
public interface ProvisioningListener {

	ProvisioningListener NONE = new ProvisioningListener() {
	};

	default void stepStarted(ResourceKind resource) {
	}

	default void stepFinished(AppliedChange change) {
	}

}
