package io.transferportal.requests;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serializes submissions for one Transfer user across every portal instance: a row lock
 * (JPA {@code PESSIMISTIC_WRITE}, {@code SELECT ... FOR UPDATE}) on this module's
 * {@code submission_lock} table, held until the submitting transaction ends, so "no open
 * request yet" is checked and the new request stored as one step.
 */
@Component
class SubmissionLock {

	private final SubmissionKeyRepository keys;

	private final TransactionTemplate newTransaction;

	SubmissionLock(SubmissionKeyRepository keys, PlatformTransactionManager transactions) {
		this.keys = keys;
		this.newTransaction = new TransactionTemplate(transactions);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Locks the user's row in the caller's transaction (creating it first, in a
	 * transaction of its own: on PostgreSQL a failed insert would abort the caller's).
	 */
	void lock(String serverId, String userName) {
		lockName(serverId + "/" + userName);
	}

	/**
	 * Locks a bucket's submissions, so two users asked for at the same moment cannot both
	 * pass the home-folder overlap check.
	 */
	void lockBucket(String bucket) {
		lockName("bucket:" + bucket);
	}

	private void lockName(String name) {
		try {
			this.newTransaction.executeWithoutResult((status) -> {
				if (!this.keys.existsById(name)) {
					this.keys.saveAndFlush(new SubmissionKey(name));
				}
			});
		}
		catch (DataIntegrityViolationException ex) {
			// created at the same moment by another submission: fine
		}
		this.keys.findForUpdateByName(name).orElseThrow();
	}

}
