package io.transferportal.provisioning;

import java.util.List;
import java.util.function.Supplier;

import io.transferportal.provisioning.core.BatchedWrites;
import io.transferportal.provisioning.core.LockedStep;

/**
 * Serializes read-modify-write sequences that AWS does not protect, such as KMS key
 * policies (no version or ETag) and Transfer users (moto and a racing CreateUser can
 * leave duplicates).
 * <p>
 * Held as leases in the database, so several portal instances on one database are
 * serialized too; no database connection is held while waiting or working under a lock.
 */
public interface ProvisioningLocks {

	<T> T withLock(String name, Supplier<T> action);

	/**
	 * Applies one resource's step under its lock; a resource that serves several waiting
	 * runs with one write ({@link BatchedWrites}) takes the step over.
	 */
	default List<AppliedChange> apply(LockedStep step) {
		if (step.resource() instanceof BatchedWrites batched) {
			return batched.applyBatched(step, this);
		}
		return withLock(step.lock(), step.applyOne());
	}

}
