package io.transferportal.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.domain.Specification;

/**
 * Which requests the requests list shows; {@code null} or blank fields do not filter.
 * Texts match the start of the value, in any case ({@code CHG-12} finds {@code CHG-123}).
 *
 * @param userName start of the Transfer user name
 * @param requestedBy start of the requester's name
 * @param status only requests in this status
 * @param ticketPrefix start of the ticket reference
 */
public record RequestSearch(@Nullable String userName, @Nullable String requestedBy, @Nullable RequestStatus status,
		@Nullable String ticketPrefix) {

	public static final RequestSearch ALL = new RequestSearch(null, null, null, null);

	Specification<AccessRequest> specification() {
		return (root, query, cb) -> {
			List<Predicate> where = new ArrayList<>();
			startsWith(cb, root.get("userName"), this.userName, where);
			startsWith(cb, root.get("requestedBy"), this.requestedBy, where);
			startsWith(cb, root.get("ticketRef"), this.ticketPrefix, where);
			if (this.status != null) {
				where.add(cb.equal(root.get("status"), this.status));
			}
			return cb.and(where.toArray(Predicate[]::new));
		};
	}

	private static void startsWith(CriteriaBuilder cb, Expression<String> value, @Nullable String prefix,
			List<Predicate> where) {
		if (prefix != null && !prefix.isBlank()) {
			// the prefix is matched as typed: LIKE's wildcards in it are escaped
			String literal = prefix.strip()
				.toLowerCase(Locale.ROOT)
				.replace("\\", "\\\\")
				.replace("%", "\\%")
				.replace("_", "\\_");
			where.add(cb.like(cb.lower(value), literal + "%", '\\'));
		}
	}

}
