package io.transferportal.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

import io.transferportal.requests.RequestSearch;
import io.transferportal.requests.RequestStatus;

/**
 * The requests list's filters, order and page, as query parameters (so that a filtered
 * list can be bookmarked and shared).
 *
 * @param userName start of the Transfer user name
 * @param requestedBy start of the requester's name
 * @param status one status, or all
 * @param ticketRef start of the ticket reference
 * @param sort the column to order by (one of {@link #COLUMNS}); newest first otherwise
 * @param dir {@code asc} or {@code desc}
 * @param page 1-based page number
 */
record RequestListForm(@Size(max = 100) @Nullable String userName, @Size(max = 100) @Nullable String requestedBy,
		@Nullable RequestStatus status, @Size(max = 100) @Nullable String ticketRef, @Nullable String sort,
		@Nullable String dir, @Nullable Integer page) {

	static final int PAGE_SIZE = 50;

	static final RequestListForm ALL = new RequestListForm(null, null, null, null, null, null, null);

	static final int MAX_PAGE = Pages.MAX_PAGE;

	/** The sortable columns: parameter value to entity property. */
	static final Map<String, String> COLUMNS = Map.of("id", "id", "kind", "kind", "status", "status", "user",
			"userName", "ticket", "ticketRef", "requester", "requestedBy", "updated", "updatedAt");

	/** The list's columns in order, each with its header. */
	static final Map<String, String> HEADERS = columnHeaders();

	private static Map<String, String> columnHeaders() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("id", "Id");
		headers.put("kind", "Kind");
		headers.put("status", "Status");
		headers.put("user", "User");
		headers.put("ticket", "Ticket");
		headers.put("requester", "Requested by");
		headers.put("updated", "Last change");
		return headers;
	}

	/** The columns' parameter values and headers, in order. */
	public Map<String, String> headers() {
		return HEADERS;
	}

	RequestSearch toSearch() {
		return new RequestSearch(this.userName, this.requestedBy, this.status, this.ticketRef);
	}

	/**
	 * The column the list is ordered by ({@code id} unless another known one is asked
	 * for).
	 */
	public String column() {
		return (this.sort != null && COLUMNS.containsKey(this.sort)) ? this.sort : "id";
	}

	/** Newest (or last) first unless {@code asc} is asked for. */
	public boolean ascending() {
		return "asc".equals(this.dir);
	}

	public int pageNumber() {
		return (this.page != null) ? Math.min(Math.max(this.page, 1), MAX_PAGE) : 1;
	}

	/** This list, ordered by a column's header. */
	public String sortedBy(String column) {
		return link(column, nextDir(column), 1);
	}

	/** Another page of this list, in the same order. */
	public String page(int number) {
		return link(column(), ascending() ? "asc" : "desc", number);
	}

	private String link(String column, String direction, int number) {
		Map<String, @Nullable Object> params = QueryLinks.params();
		params.put("userName", this.userName);
		params.put("requestedBy", this.requestedBy);
		params.put("status", this.status);
		params.put("ticketRef", this.ticketRef);
		if (!column.equals("id") || !direction.equals("desc")) {
			params.put("sort", column);
			params.put("dir", direction);
		}
		params.put("page", (number > 1) ? number : null);
		return QueryLinks.link("/requests", params);
	}

	/** The page, ordered by the column and then by id, so that the order is total. */
	Pageable pageable() {
		Sort.Direction direction = ascending() ? Sort.Direction.ASC : Sort.Direction.DESC;
		Sort order = Sort.by(direction, COLUMNS.get(column()));
		if (!column().equals("id")) {
			order = order.and(Sort.by(Sort.Direction.DESC, "id"));
		}
		return PageRequest.of(pageNumber() - 1, PAGE_SIZE, order);
	}

	/**
	 * The direction a click on a column's header asks for: the other one for the column
	 * the list is ordered by; for another column, A to Z (newest first for times and
	 * ids).
	 */
	public String nextDir(String column) {
		if (column.equals(column())) {
			return ascending() ? "desc" : "asc";
		}
		return (column.equals("id") || column.equals("updated")) ? "desc" : "asc";
	}

	/**
	 * The {@code aria-sort} of a column's header: {@code ascending} or {@code descending}
	 * for the column the list is ordered by, {@code none} otherwise.
	 */
	public String ariaSort(String column) {
		if (!column.equals(column())) {
			return "none";
		}
		return ascending() ? "ascending" : "descending";
	}

}
