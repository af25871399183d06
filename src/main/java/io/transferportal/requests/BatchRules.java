package io.transferportal.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.ItemPlan;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.UserSpec;

/**
 * The rules a batch adds to those of a single submission, as pure functions: each item is
 * valid on its own, no user comes twice, and no two items' home folders overlap.
 */
final class BatchRules {

	private BatchRules() {
	}

	/**
	 * Every invalid field of every item that the items alone show (no database, no AWS).
	 * @param validate a single item's input rules ({@code ProvisioningEngine#validate})
	 * @param overlaps home folders overlapping others' on the same bucket
	 * ({@code ProvisioningEngine#validateHomeFolder})
	 */
	static List<BatchViolation> withinBatch(List<BatchItem> items, Instant now,
			Function<UserSpec, List<FieldViolation>> validate,
			BiFunction<UserSpec, Collection<UserSpec>, List<FieldViolation>> overlaps) {
		List<BatchViolation> violations = new ArrayList<>();
		Map<String, Integer> firstOfUser = new HashMap<>();
		List<Integer> comparable = new ArrayList<>();
		for (int index = 0; index < items.size(); index++) {
			BatchItem item = items.get(index);
			UserSpec spec = item.spec();
			List<FieldViolation> own = new ArrayList<>(validate.apply(spec));
			own.addAll(LifecycleRules.checkExpiry(item.expiresAt(), now));
			for (FieldViolation violation : own) {
				violations.add(new BatchViolation(index, violation.field(), violation.message()));
			}
			Integer first = firstOfUser.putIfAbsent(spec.serverId() + "/" + spec.userName(), index);
			if (first != null) {
				violations.add(new BatchViolation(index, "userName", "user " + spec.userName() + " on "
						+ spec.serverId() + " is asked for twice in this batch (also item " + first + ")"));
			}
			else if (own.isEmpty()) {
				// only well-formed folders are compared
				comparable.add(index);
			}
		}
		for (int index : comparable) {
			UserSpec spec = items.get(index).spec();
			List<UserSpec> others = comparable.stream()
				.filter((other) -> other != index)
				.map((other) -> items.get(other).spec())
				.toList();
			for (FieldViolation overlap : overlaps.apply(spec, others)) {
				violations.add(new BatchViolation(index, overlap.field(), overlap.message() + " (in this batch)"));
			}
		}
		return violations;
	}

	/**
	 * The items that could not be planned, with the engine's violations, and the plans
	 * with problems, one violation of field {@code plan} per problem.
	 */
	static List<BatchViolation> planViolations(List<ItemPlan> plans) {
		List<BatchViolation> violations = new ArrayList<>();
		for (int index = 0; index < plans.size(); index++) {
			ItemPlan item = plans.get(index);
			for (FieldViolation violation : item.violations()) {
				violations.add(new BatchViolation(index, violation.field(), violation.message()));
			}
			Plan plan = item.plan();
			if (plan != null) {
				for (PlanProblem problem : plan.problems()) {
					violations
						.add(new BatchViolation(index, "plan", problem.resource().label() + ": " + problem.message()));
				}
			}
		}
		return violations;
	}

	/** By item, each item's in the order found. */
	static List<BatchViolation> ordered(List<BatchViolation> violations) {
		return violations.stream().sorted(Comparator.comparingInt(BatchViolation::index)).toList();
	}

}
