package io.transferportal.provisioning.core;

import java.util.function.Supplier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.provisioning.ProvisioningLocks;

/**
 * Named locks as database row locks ({@code SELECT ... FOR UPDATE} on
 * {@code provisioning_lock}), so every portal instance sharing the database is
 * serialized, not only the threads of one JVM. The lock is held by a transaction of its
 * own for as long as the action runs; the action must not need another lock.
 */
public class JdbcProvisioningLocks implements ProvisioningLocks {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate newTransaction;

	public JdbcProvisioningLocks(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.newTransaction = new TransactionTemplate(transactions);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Override
	public <T> T withLock(String name, Supplier<T> action) {
		createIfMissing(name);
		return this.newTransaction.execute((status) -> {
			this.jdbc.queryForObject("select name from provisioning_lock where name = ? for update", String.class,
					name);
			return action.get();
		});
	}

	private void createIfMissing(String name) {
		// its own transaction: on PostgreSQL a failed insert would abort the transaction
		// that holds the lock
		try {
			this.newTransaction.executeWithoutResult((status) -> this.jdbc.update(
					"insert into provisioning_lock (name) select ? where not exists (select 1 from provisioning_lock where name = ?)",
					name, name));
		}
		catch (DuplicateKeyException ex) {
			// another instance created it at the same moment: fine
		}
	}

}
