package io.transferportal.provisioning;

import java.util.List;
import java.util.Optional;

/**
 * The exact list of AWS changes for one Transfer user, computed from the request and the live AWS state.
 *
 * @param kind provision (create or converge) or removal
 * @param spec the request the plan was computed for
 * @param changes one entry per resource, in apply order
 * @param problems reasons the plan must not be applied; empty for an applicable plan
 * @param fingerprint SHA-256 over the request and the changes: the same request and the same live state give the
 * same fingerprint, so an approval can be bound to it
 */
public record Plan(Kind kind, UserSpec spec, List<PlannedChange> changes, List<PlanProblem> problems,
		String fingerprint) {

	public Plan {
		changes = List.copyOf(changes);
		problems = List.copyOf(problems);
	}

	public boolean isApplicable() {
		return this.problems.isEmpty();
	}

	/** Whether applying the plan would change anything in AWS. */
	public boolean hasChanges() {
		return this.changes.stream().anyMatch((change) -> change.action() != ChangeAction.NONE);
	}

	public Optional<PlannedChange> change(ResourceKind resource) {
		return this.changes.stream().filter((change) -> change.resource() == resource).findFirst();
	}

	public enum Kind {

		PROVISION, REMOVE

	}

}
