package io.transferportal.provisioning.core;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;

/**
 * What a resource decided: the planned change for each of its plan entries (with before
 * and after documents and warnings), the problems that forbid applying it, and the work
 * its write carries out.
 *
 * @param changes one entry per kind of the resource, {@link ChangeAction#NONE} when it is
 * as required
 * @param problems reasons the change must not be applied
 * @param work what to write; {@code null} when nothing is to be written
 * @param <W> the resource's kind of work
 */
public record Decision<W>(List<PlannedChange> changes, List<PlanProblem> problems, @Nullable W work) {

	public Decision {
		changes = List.copyOf(changes);
		problems = List.copyOf(problems);
	}

	/** Nothing to write. */
	public static <W> Decision<W> none(PlannedChange... changes) {
		return new Decision<>(List.of(changes), List.of(), null);
	}

	/** A change to write. */
	public static <W> Decision<W> write(W work, PlannedChange... changes) {
		return new Decision<>(List.of(changes), List.of(), work);
	}

	/** Nothing may be written: the problem needs a person. */
	public static <W> Decision<W> refused(PlanProblem problem, PlannedChange... changes) {
		return new Decision<>(List.of(changes), List.of(problem), null);
	}

	/** The same decision with one more problem. */
	public Decision<W> withProblem(PlanProblem problem) {
		List<PlanProblem> all = new ArrayList<>(this.problems);
		all.add(problem);
		return new Decision<>(this.changes, all, this.work);
	}

	public boolean writes() {
		return this.work != null && this.changes.stream().anyMatch((change) -> change.action() != ChangeAction.NONE);
	}

}
