package io.transferportal.provisioning.core;

import java.util.ConcurrentModificationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.util.UUIDConverter;

import io.transferportal.provisioning.ProvisioningLocks;

/**
 * Named locks as leases in the database, through Spring Integration's
 * {@link JdbcLockRegistry}: so every portal instance sharing the database is serialized,
 * not only the threads of one JVM, and no pooled connection is held while a run waits for
 * a lock or works under it.
 * <p>
 * Taking a lock is one short transaction (update the row if it is this instance's or
 * expired, else insert it); a thread that does not get it sleeps and tries again, and the
 * other threads of this instance wait for the same lock in memory (the registry's local
 * lock), without a connection. While the action runs, a background thread renews the
 * lease; if the instance dies, the lease expires and another instance takes the lock
 * over. Releasing deletes the row.
 */
public class JdbcProvisioningLocks implements ProvisioningLocks, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(JdbcProvisioningLocks.class);

	private final LockRepository leases;

	private final JdbcLockRegistry registry;

	private final ProvisioningProperties.Lease lease;

	private final ScheduledExecutorService renewals;

	public JdbcProvisioningLocks(LockRepository leases, ProvisioningProperties.Lease lease) {
		this.leases = leases;
		this.lease = lease;
		this.registry = new JdbcLockRegistry(leases, lease.ttl());
		this.registry.setIdleBetweenTries(lease.pollInterval());
		// the registry keeps 256 locks by default and forgets the least recently used: a
		// forgotten lock is made again on demand, so this bounds memory, not locks
		this.renewals = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "provisioning-lock-renewal");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public <T> T withLock(String name, Supplier<T> action) {
		DistributedLock lock = this.registry.obtain(name);
		lock.lock(this.lease.ttl());
		ScheduledFuture<?> renewal = this.renewals.scheduleAtFixedRate(() -> renew(name),
				this.lease.renewEvery().toMillis(), this.lease.renewEvery().toMillis(), TimeUnit.MILLISECONDS);
		try {
			return action.get();
		}
		finally {
			renewal.cancel(false);
			release(name, lock);
		}
	}

	/**
	 * Extends the lease from the renewal thread: the registry's own renewal must run on
	 * the holding thread, which is busy with the action (an AWS call), so this goes to
	 * the lease table directly, under the key the registry uses for the name.
	 */
	private void renew(String name) {
		try {
			if (!this.leases.renew(path(name), this.lease.ttl())) {
				logger.warn("Lease of lock {} could not be renewed: it expired and may be held elsewhere", name);
			}
		}
		catch (DataAccessException ex) {
			// the next renewal tries again, well before the lease expires
			logger.warn("Lease of lock {} not renewed this time: {}", name, ex.getMessage());
		}
	}

	private static void release(String name, DistributedLock lock) {
		try {
			lock.unlock();
		}
		catch (ConcurrentModificationException ex) {
			// the action finished (and read back what it wrote), but the lease had
			// expired
			// before: another instance may have worked under the same lock meanwhile
			logger.warn("Lock {} had expired before it was released: {}", name, ex.getMessage());
		}
	}

	private static String path(String name) {
		return UUIDConverter.getUUID(name).toString();
	}

	@Override
	public void destroy() {
		this.renewals.shutdownNow();
	}

}
