package io.transferportal.requests;

/**
 * The states of a managed user's life the dashboard counts and filters by; a user can be
 * in several at once (an expiring user whose review is overdue).
 */
public enum LifecycleState {

	/** Its access ends within {@code portal.lifecycle.expiry-warning} (or has ended). */
	EXPIRING("Expiring"),

	/** Its SSH keys were removed: expired, or suspended for a missed review. */
	SUSPENDED("Expired or suspended"),

	/** An SSH key is older than {@code portal.lifecycle.max-ssh-key-age}. */
	ROTATION_DUE("Rotation due"),

	/** Its periodic access review is overdue. */
	REVIEW_OVERDUE("Review overdue");

	private final String label;

	LifecycleState(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

}
