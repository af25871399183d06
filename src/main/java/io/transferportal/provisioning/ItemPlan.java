package io.transferportal.provisioning;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One item of {@link ProvisioningEngine#planBatch}: its plan, or why it could not be
 * planned.
 *
 * @param plan the plan, {@code null} when the item is invalid
 * @param violations what {@link InvalidUserSpecException} named; empty when planned
 */
public record ItemPlan(@Nullable Plan plan, List<FieldViolation> violations) {

	public ItemPlan {
		violations = List.copyOf(violations);
	}

	static ItemPlan of(Plan plan) {
		return new ItemPlan(plan, List.of());
	}

	static ItemPlan invalid(List<FieldViolation> violations) {
		return new ItemPlan(null, violations);
	}

}
