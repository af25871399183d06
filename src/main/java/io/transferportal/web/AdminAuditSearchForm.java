package io.transferportal.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;

import io.transferportal.audit.AuditFilter;

/**
 * The audit page's filter form. Dates are whole UTC days: {@code from} starts at
 * midnight, and {@code to} includes its whole day.
 *
 * @param userName Transfer user name
 * @param requestId portal request number
 * @param ticketRef ticket reference
 * @param serverId Transfer server id
 * @param from first day (UTC)
 * @param to last day (UTC), inclusive
 */
record AdminAuditSearchForm(@Size(max = 100) @Nullable String userName, @Positive @Nullable Long requestId,
		@Size(max = 100) @Nullable String ticketRef, @Size(max = 100) @Nullable String serverId,
		@DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
		@DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to) {

	static AdminAuditSearchForm empty() {
		return new AdminAuditSearchForm(null, null, null, null, null, null);
	}

	@AssertTrue(message = "The last day cannot be before the first day")
	public boolean isDateRangeValid() {
		return this.from == null || this.to == null || !this.to.isBefore(this.from);
	}

	/**
	 * The audit filter: blank fields do not filter, and {@code to} becomes the exclusive
	 * start of the next day.
	 */
	AuditFilter toFilter() {
		return new AuditFilter(this.requestId, this.ticketRef, this.serverId, this.userName, fromInstant(),
				toInstant());
	}

	@Nullable Instant fromInstant() {
		return (this.from != null) ? this.from.atStartOfDay(ZoneOffset.UTC).toInstant() : null;
	}

	@Nullable Instant toInstant() {
		return (this.to != null) ? this.to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() : null;
	}

}
