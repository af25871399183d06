package io.transferportal.provisioning;

import java.util.function.Supplier;

/**
 * Serializes read-modify-write sequences that AWS does not protect, such as KMS key
 * policies (no version or ETag) and Transfer users (moto and a racing CreateUser can
 * leave duplicates).
 * <p>
 * The default implementation locks within this JVM; a deployment with several instances
 * replaces it with a database-backed lock by declaring its own bean.
 */
public interface ProvisioningLocks {

	<T> T withLock(String name, Supplier<T> action);

}
