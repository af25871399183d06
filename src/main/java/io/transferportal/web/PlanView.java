package io.transferportal.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;

/**
 * A plan as the pages show it: per resource, what changes in words and the document diff
 * line by line.
 */
public record PlanView(String fingerprint, List<ChangeView> changes, List<String> problems) {

	static PlanView of(Plan plan) {
		return new PlanView(plan.fingerprint(), plan.changes().stream().map(ChangeView::of).toList(),
				plan.problems().stream().map((p) -> p.resource().label() + ": " + p.message()).toList());
	}

	/** The fingerprint's first 12 characters, as people compare it by eye. */
	public String shortFingerprint() {
		return (this.fingerprint.length() > 12) ? this.fingerprint.substring(0, 12) : this.fingerprint;
	}

	public long changeCount() {
		return this.changes.stream().filter((c) -> c.action() != ChangeAction.NONE).count();
	}

	public record ChangeView(String resource, String resourceArn, ChangeAction action, String summary,
			List<String> warnings, List<DiffLine> diff, @Nullable String document) {

		static ChangeView of(PlannedChange change) {
			List<DiffLine> diff = change.diff()
				.lines()
				.skip(2) // the ---/+++ file header says nothing here
				.map(DiffLine::of)
				.toList();
			return new ChangeView(change.resource().label(), change.resourceArn(), change.action(), change.summary(),
					change.warnings(), diff, (change.after() != null) ? change.after() : change.before());
		}

	}

	/**
	 * One diff line and its kind: {@code add}, {@code del} or {@code ctx} (a CSS class).
	 */
	public record DiffLine(String kind, String text) {

		static DiffLine of(String line) {
			String kind = line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
			return new DiffLine(kind, line);
		}

	}

}
