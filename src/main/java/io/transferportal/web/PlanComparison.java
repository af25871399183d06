package io.transferportal.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;

/**
 * What an approver must see when a request comes back for approval (NEEDS_REAPPROVAL):
 * per resource whose live state or planned change differs, what AWS held when the old
 * plan was made against what it holds now, and the old planned change against the new
 * one. Resources where nothing differs are left out.
 *
 * @param resources the resources that differ, in the new plan's order (then those only
 * the old plan had)
 */
public record PlanComparison(List<ResourceComparison> resources) {

	static PlanComparison between(Plan approved, Plan current) {
		Map<String, PlannedChange> before = new LinkedHashMap<>();
		approved.changes().forEach((change) -> before.put(key(change), change));
		List<ResourceComparison> resources = new ArrayList<>();
		for (PlannedChange now : current.changes()) {
			ResourceComparison comparison = ResourceComparison.of(before.remove(key(now)), now);
			if (comparison.differs()) {
				resources.add(comparison);
			}
		}
		before.values().forEach((gone) -> resources.add(ResourceComparison.of(gone, null)));
		return new PlanComparison(List.copyOf(resources));
	}

	private static String key(PlannedChange change) {
		return change.resource() + " " + change.resourceArn();
	}

	/**
	 * One resource in both plans.
	 *
	 * @param resource the resource, in words
	 * @param resourceArn its ARN
	 * @param approvedAction the change the approved plan made ({@code null}: not in it)
	 * @param approvedSummary that change in words
	 * @param currentAction the change the new plan makes ({@code null}: not in it)
	 * @param currentSummary that change in words
	 * @param liveDiff the live document then (-) against now (+); empty when unchanged
	 * @param planDiff the document the approved plan would have written (-) against the
	 * one the new plan writes (+); empty when the same
	 */
	public record ResourceComparison(String resource, String resourceArn, @Nullable ChangeAction approvedAction,
			@Nullable String approvedSummary, @Nullable ChangeAction currentAction, @Nullable String currentSummary,
			List<PlanView.DiffLine> liveDiff, List<PlanView.DiffLine> planDiff) {

		static ResourceComparison of(@Nullable PlannedChange approved, @Nullable PlannedChange current) {
			PlannedChange either = Objects.requireNonNull((current != null) ? current : approved);
			return new ResourceComparison(either.resource().label(), either.resourceArn(),
					(approved != null) ? approved.action() : null, (approved != null) ? approved.summary() : null,
					(current != null) ? current.action() : null, (current != null) ? current.summary() : null,
					diff((approved != null) ? approved.before() : null, (current != null) ? current.before() : null),
					diff((approved != null) ? approved.after() : null, (current != null) ? current.after() : null));
		}

		boolean differs() {
			return this.approvedAction != this.currentAction
					|| !Objects.equals(this.approvedSummary, this.currentSummary) || !this.liveDiff.isEmpty()
					|| !this.planDiff.isEmpty();
		}

		private static List<PlanView.DiffLine> diff(@Nullable String then, @Nullable String now) {
			if (Objects.equals(then, now)) {
				return List.of();
			}
			List<String> original = lines(then);
			List<String> revised = lines(now);
			return UnifiedDiffUtils.generateUnifiedDiff("then", "now", original, DiffUtils.diff(original, revised), 3)
				.stream()
				.skip(2) // the ---/+++ file header says nothing here
				.map(PlanView.DiffLine::of)
				.toList();
		}

		private static List<String> lines(@Nullable String document) {
			return (document != null) ? document.lines().toList() : List.of();
		}

	}

}
