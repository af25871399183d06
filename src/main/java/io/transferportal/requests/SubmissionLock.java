package io.transferportal.requests;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serializes submissions for one Transfer user across every portal instance: a row lock
 * held until the submitting transaction ends, so "no open request yet" is checked and the
 * new request stored as one step.
 */
@Component
class SubmissionLock {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate newTransaction;

	SubmissionLock(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.newTransaction = new TransactionTemplate(transactions);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Locks the user's row in the caller's transaction (creating it first, in a
	 * transaction of its own).
	 */
	void lock(String serverId, String userName) {
		String name = "submission:" + serverId + "/" + userName;
		try {
			this.newTransaction.executeWithoutResult((status) -> this.jdbc.update(
					"insert into provisioning_lock (name) select ? where not exists (select 1 from provisioning_lock where name = ?)",
					name, name));
		}
		catch (DuplicateKeyException ex) {
			// created at the same moment by another submission: fine
		}
		this.jdbc.queryForObject("select name from provisioning_lock where name = ? for update", String.class, name);
	}

}
