package io.transferportal.provisioning;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of applying a {@link Plan}: one entry per planned resource, in apply order,
 * and the verification of the result ({@code null} after a removal).
 */
public record ApplyResult(Plan plan, List<AppliedChange> changes, @Nullable Verification verification) {

	public ApplyResult {
		changes = List.copyOf(changes);
	}

	public ApplyResult(Plan plan, List<AppliedChange> changes) {
		this(plan, changes, null);
	}

	public boolean wroteAnything() {
		return this.changes.stream().anyMatch(AppliedChange::wrote);
	}

}
