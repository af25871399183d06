package io.transferportal.requests;

import java.util.List;

/**
 * A batch with at least one invalid item, or too many items; nothing was stored and
 * nothing written to AWS. It names every invalid field of every item.
 */
public class InvalidBatchException extends RuntimeException {

	private final List<BatchViolation> violations;

	public InvalidBatchException(List<BatchViolation> violations) {
		super("Invalid batch: " + violations.size() + " invalid field(s)");
		this.violations = List.copyOf(violations);
	}

	public List<BatchViolation> violations() {
		return this.violations;
	}

	/** The indexes of the invalid items, ascending and each once. */
	public List<Integer> invalidItems() {
		return this.violations.stream().map(BatchViolation::index).filter((i) -> i >= 0).distinct().sorted().toList();
	}

}
