package io.transferportal.provisioning.core;

import java.util.List;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.ProvisioningLocks;

/**
 * A resource shared by many users whose waiting runs are served by one write (a KMS key
 * policy): the run that gets the lock decides and writes for every run waiting on it.
 */
public interface BatchedWrites {

	/**
	 * Applies the step, perhaps together with the steps of other runs waiting for the
	 * same lock, and answers this step's outcome.
	 */
	List<AppliedChange> applyBatched(LockedStep step, ProvisioningLocks locks);

}
