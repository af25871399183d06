package io.transferportal.provisioning;

import java.util.List;

/** A {@link UserSpec} was rejected; nothing was written to AWS. */
public class InvalidUserSpecException extends RuntimeException {

	private final List<FieldViolation> violations;

	public InvalidUserSpecException(List<FieldViolation> violations) {
		super("Invalid Transfer user request: " + violations.size() + " invalid field(s)");
		this.violations = List.copyOf(violations);
	}

	public List<FieldViolation> violations() {
		return this.violations;
	}

}
