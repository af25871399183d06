package io.transferportal.web;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;

/**
 * The order of the dashboard's users: by user (server, then name), by health or by when
 * each was last verified; each the other way round on a second click of its header.
 *
 * @param column {@code user}, {@code health} or {@code verified}
 * @param ascending A to Z, and for {@code verified} the longest unverified first
 */
public record UserOrder(String column, boolean ascending) {

	static UserOrder of(@Nullable String column, @Nullable String dir) {
		String known = ("health".equals(column) || "verified".equals(column)) ? column : "user";
		return new UserOrder(known, !"desc".equals(dir));
	}

	/**
	 * The sort. It starts with the status, as the indexes do; health sorts by its name
	 * (DRIFT, ERROR, MISSING before OK and UNVERIFIED, so problems come first).
	 */
	Sort sort() {
		Sort.Direction direction = this.ascending ? Sort.Direction.ASC : Sort.Direction.DESC;
		Sort byUser = Sort.by(direction, "serverId", "userName");
		return switch (this.column) {
			case "health" -> Sort.by("status").and(Sort.by(direction, "health")).and(Sort.by("serverId", "userName"));
			case "verified" -> Sort.by("status")
				.and(Sort.by(this.ascending ? Sort.Order.asc("verifiedAt").nullsFirst()
						: Sort.Order.desc("verifiedAt").nullsLast()))
				.and(Sort.by("serverId", "userName"));
			// ascending, this equals AccessRequestManagement.USER_ORDER, which the
			// searches recognise
			default -> Sort.by("status").and(byUser);
		};
	}

	/** The direction a click on a column's header asks for. */
	public String nextDir(String header) {
		return (header.equals(this.column) && this.ascending) ? "desc" : "asc";
	}

	/** The header's {@code aria-sort}. */
	public String ariaSort(String header) {
		if (!header.equals(this.column)) {
			return "none";
		}
		return this.ascending ? "ascending" : "descending";
	}

	public String dir() {
		return this.ascending ? "asc" : "desc";
	}

}
