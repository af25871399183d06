package io.transferportal.web;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.transferportal.requests.Health;
import io.transferportal.requests.LifecycleState;

/**
 * What the dashboard shows (filters, order, page size), and the links to it in another
 * order or at another page: only the parameters that say something, strictly encoded.
 *
 * @param q part of a server id or user name
 * @param health one health, or all
 * @param lifecycle one state of life, or all
 * @param show {@code deprovisioned}, or the users managed now
 * @param order the order
 * @param size rows per page
 */
public record DashboardView(@Nullable String q, @Nullable Health health, @Nullable LifecycleState lifecycle,
		@Nullable String show, UserOrder order, int size) {

	/** Another page of the same view. */
	public String page(int number) {
		return link("/dashboard", this.order.column(), this.order.dir(), number, true);
	}

	/** The same view ordered by a column's header. */
	public String sortedBy(String column) {
		return link("/dashboard", column, this.order.nextDir(column), 1, true);
	}

	/** The CSV export of the same filters. */
	public String export() {
		return link("/dashboard/export.csv", "user", "asc", 1, false);
	}

	private String link(String path, String column, String dir, int number, boolean view) {
		Map<String, @Nullable Object> params = QueryLinks.params();
		params.put("q", this.q);
		params.put("health", this.health);
		params.put("lifecycle", this.lifecycle);
		if (view) {
			params.put("show", this.show);
			if (!column.equals("user") || !dir.equals("asc")) {
				params.put("sort", column);
				params.put("dir", dir);
			}
			params.put("page", (number > 1) ? number : null);
			params.put("size", (this.size != DashboardController.DEFAULT_SIZE) ? this.size : null);
		}
		return QueryLinks.link(path, params);
	}

}
