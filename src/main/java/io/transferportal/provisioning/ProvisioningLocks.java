package io.transferportal.provisioning;

import java.util.function.Supplier;

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

}
