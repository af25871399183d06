package io.transferportal.provisioning;

import java.util.List;

/**
 * The outcome of applying a {@link Plan}: one entry per planned resource, in apply order.
 */
public record ApplyResult(Plan plan, List<AppliedChange> changes) {

	public ApplyResult {
		changes = List.copyOf(changes);
	}

	public boolean wroteAnything() {
		return this.changes.stream().anyMatch(AppliedChange::wrote);
	}

}
