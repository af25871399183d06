package io.transferportal.provisioning;

import java.util.List;
import java.util.stream.Collectors;

/** A {@link UserSpec} was rejected; nothing was written to AWS. */
public class InvalidUserSpecException extends RuntimeException {

	private final List<FieldViolation> violations;

	public InvalidUserSpecException(List<FieldViolation> violations) {
		// the fields by name: this message is what a failed run records, and what a log
		// says
		super("Invalid Transfer user request: " + violations.stream()
			.map((violation) -> violation.field() + " " + violation.message())
			.collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
	}

	public List<FieldViolation> violations() {
		return this.violations;
	}

}
