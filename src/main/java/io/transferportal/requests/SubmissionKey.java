package io.transferportal.requests;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row per Transfer user that requests were ever submitted for: the row that
 * {@link SubmissionLock} locks.
 */
@Entity
@Table(name = "submission_lock")
class SubmissionKey {

	@Id
	private String name;

	protected SubmissionKey() {
		this.name = "";
	}

	SubmissionKey(String name) {
		this.name = name;
	}

	String getName() {
		return this.name;
	}

}
