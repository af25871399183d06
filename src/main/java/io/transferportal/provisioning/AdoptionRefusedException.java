package io.transferportal.provisioning;

/**
 * A Transfer user cannot be adopted: it does not exist, or it is not in a state the
 * portal can take over. The message is safe to show and says what to do.
 */
public class AdoptionRefusedException extends RuntimeException {

	private final Reason reason;

	public AdoptionRefusedException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

	public enum Reason {

		/** No such user on the server. */
		NOT_FOUND,

		/**
		 * The user exists but the portal already manages it, or cannot express it under
		 * its rules.
		 */
		NOT_ADOPTABLE

	}

}
