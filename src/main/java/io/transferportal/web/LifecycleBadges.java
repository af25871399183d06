package io.transferportal.web;

import java.util.ArrayList;
import java.util.List;

import io.transferportal.requests.ManagedUserView.Lifecycle;

/**
 * The badges of a managed user's life on the dashboard and in its export: each a word,
 * never a colour alone.
 */
final class LifecycleBadges {

	private LifecycleBadges() {
	}

	/**
	 * Expired or suspended, expiring, rotation due, review overdue: those that apply, in
	 * this order.
	 */
	static List<Badge> of(Lifecycle lifecycle) {
		List<Badge> badges = new ArrayList<>();
		if ("EXPIRED".equals(lifecycle.suspension())) {
			badges.add(new Badge("Expired", "missing"));
		}
		else if (lifecycle.suspension() != null) {
			badges.add(new Badge("Suspended", "missing"));
		}
		if (lifecycle.expiring()) {
			badges.add(new Badge("Expiring", "drift"));
		}
		if (lifecycle.rotationDue()) {
			badges.add(new Badge("Rotation due", "drift"));
		}
		if (lifecycle.reviewOverdue()) {
			badges.add(new Badge("Review overdue", "drift"));
		}
		return badges;
	}

	/**
	 * One badge.
	 *
	 * @param text what it says
	 * @param style the suffix of its {@code badge-} class
	 */
	public record Badge(String text, String style) {
	}

}
