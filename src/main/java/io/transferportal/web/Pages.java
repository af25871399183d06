package io.transferportal.web;

import org.springframework.data.domain.PageRequest;

/**
 * Pages of a list from the page number in its URL, which anyone can edit: negative
 * numbers are the first page, and numbers past {@link #MAX_PAGE} the last one asked for,
 * since the database's row offset (page × size) must stay an {@code int}.
 */
final class Pages {

	/** Pages past this are never linked to; it keeps offsets sane. */
	static final int MAX_PAGE = 100_000;

	private Pages() {
	}

	/** The page numbered from 0 in the URL. */
	static PageRequest zeroBased(int page, int size) {
		return PageRequest.of(Math.min(Math.max(0, page), MAX_PAGE - 1), size);
	}

}
