package io.transferportal.provisioning;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exact list of AWS changes for one Transfer user, computed from the request and the
 * live AWS state.
 *
 * @param kind provision (create or converge), removal or adoption
 * @param spec the request the plan was computed for
 * @param changes one entry per resource, in apply order
 * @param problems reasons the plan must not be applied; empty for an applicable plan
 * @param fingerprint SHA-256 over the request and the changes: the same request and the
 * same live state give the same fingerprint, so an approval can be bound to it
 * @param removedTagKeys the tags a change removes (set by the portal before, dropped by
 * the request), sorted; applying re-decides with the same list
 */
public record Plan(Kind kind, UserSpec spec, List<PlannedChange> changes, List<PlanProblem> problems,
		String fingerprint, List<String> removedTagKeys) {

	public Plan {
		changes = List.copyOf(changes);
		problems = List.copyOf(problems);
		// plans stored before tag removal existed have none
		removedTagKeys = (removedTagKeys != null) ? List.copyOf(new TreeSet<>(removedTagKeys)) : List.of();
	}

	public Plan(Kind kind, UserSpec spec, List<PlannedChange> changes, List<PlanProblem> problems, String fingerprint) {
		this(kind, spec, changes, problems, fingerprint, List.of());
	}

	public boolean isApplicable() {
		return this.problems.isEmpty();
	}

	/** The changes that change something (not {@link ChangeAction#NONE}). */
	public long changeCount() {
		return this.changes.stream().filter((change) -> change.action() != ChangeAction.NONE).count();
	}

	/** Whether applying the plan would change anything in AWS. */
	public boolean hasChanges() {
		return this.changes.stream().anyMatch((change) -> change.action() != ChangeAction.NONE);
	}

	/**
	 * Whether applying this plan would write nothing that {@code approved} did not
	 * contain: every change is either {@link ChangeAction#NONE} (already as required,
	 * perhaps by another request) or covered by the approved change for the same
	 * resource. A re-plan within the approved plan can run without a new approval.
	 */
	public boolean isWithin(Plan approved) {
		return isWithin(approved, Set.of());
	}

	/**
	 * As {@link #isWithin(Plan)}, for a request that may have written the {@code begun}
	 * resources before (an earlier run started them): what completes the approved
	 * creation of one of those is covered too ({@link #covers(PlannedChange, Set)}).
	 */
	public boolean isWithin(Plan approved, Set<ResourceKind> begun) {
		return this.kind == approved.kind && this.spec.equals(approved.spec)
				&& this.removedTagKeys.equals(approved.removedTagKeys) && isApplicable()
				&& this.changes.stream().allMatch((change) -> approved.covers(change, begun));
	}

	/**
	 * Whether this plan's approval covers a change decided now: it writes nothing
	 * ({@link ChangeAction#NONE}: already as required, perhaps by another request) or it
	 * is the change this plan holds for the same resource.
	 */
	public boolean covers(PlannedChange change) {
		return covers(change, Set.of());
	}

	/**
	 * As {@link #covers(PlannedChange)}, and also a change that completes this plan's
	 * creation of a resource the request may have written itself ({@code begun}): see
	 * {@link #completes}.
	 */
	public boolean covers(PlannedChange change, Set<ResourceKind> begun) {
		return change.action() == ChangeAction.NONE || change(change.resource())
			.map((approved) -> approved.approvalBasis().equals(change.approvalBasis())
					|| (begun.contains(change.resource()) && completes(approved, change)))
			.orElse(false);
	}

	/**
	 * A creation applied in part: the run that made it died after the write, or its
	 * answer was lost and the SDK's retry was told the resource exists (CreateUser's
	 * ResourceExistsException). What is left is an update to exactly the state the
	 * approval describes, such as importing the SSH keys CreateUser could not take, and
	 * the approval of the creation covers it. Asked only for a resource this request
	 * began to write: the same update on a resource someone else created meanwhile (even
	 * tagged as the portal's) is a change since approval. Not the key policy, which
	 * others edit.
	 */
	private static boolean completes(PlannedChange approved, PlannedChange now) {
		return approved.action() == ChangeAction.CREATE && now.action() == ChangeAction.UPDATE
				&& approved.resource() != ResourceKind.KEY_POLICY && approved.after() != null
				&& approved.after().equals(now.after()) && approved.resourceArn().equals(now.resourceArn());
	}

	public Optional<PlannedChange> change(ResourceKind resource) {
		return this.changes.stream().filter((change) -> change.resource() == resource).findFirst();
	}

	public enum Kind {

		PROVISION, REMOVE,

		/** Take over a user that exists outside the portal. */
		ADOPT

	}

}
