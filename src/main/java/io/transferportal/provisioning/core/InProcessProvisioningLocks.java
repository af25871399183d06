package io.transferportal.provisioning.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.transferportal.provisioning.ProvisioningLocks;

/** Locks within this JVM; enough for a single portal instance. */
public class InProcessProvisioningLocks implements ProvisioningLocks {

	private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

	@Override
	public <T> T withLock(String name, Supplier<T> action) {
		ReentrantLock lock = this.locks.computeIfAbsent(name, (key) -> new ReentrantLock());
		lock.lock();
		try {
			return action.get();
		}
		finally {
			lock.unlock();
		}
	}

}
