package io.transferportal.provisioning.core;

import java.util.List;

import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;

/** What one step found it needs to change, and what stops it. */
public record StepPlan(List<PlannedChange> changes, List<PlanProblem> problems) {

	public StepPlan {
		changes = List.copyOf(changes);
		problems = List.copyOf(problems);
	}

	public static StepPlan of(PlannedChange... changes) {
		return new StepPlan(List.of(changes), List.of());
	}

}
