package io.transferportal.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

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
		UriComponentsBuilder link = UriComponentsBuilder.fromPath(path);
		Map<String, Object> values = new LinkedHashMap<>();
		param(link, values, "q", this.q);
		param(link, values, "health", this.health);
		param(link, values, "lifecycle", this.lifecycle);
		if (view) {
			param(link, values, "show", this.show);
			if (!column.equals("user") || !dir.equals("asc")) {
				param(link, values, "sort", column);
				param(link, values, "dir", dir);
			}
			if (number > 1) {
				param(link, values, "page", number);
			}
			if (this.size != DashboardController.DEFAULT_SIZE) {
				param(link, values, "size", this.size);
			}
		}
		return link.encode().buildAndExpand(values).toUriString();
	}

	private static void param(UriComponentsBuilder link, Map<String, Object> values, String name,
			@Nullable Object value) {
		if (value != null && !value.toString().isBlank()) {
			link.queryParam(name, "{" + name + "}");
			values.put(name, value.toString().strip());
		}
	}

}
