package io.transferportal.audit;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Which audit records to read; {@code null} fields do not filter. {@code to} is
 * exclusive.
 */
public record AuditFilter(@Nullable Long requestId, @Nullable String ticketRef, @Nullable String serverId,
		@Nullable String userName, @Nullable Instant from, @Nullable Instant to) {

	public static AuditFilter forRequest(long requestId) {
		return new AuditFilter(requestId, null, null, null, null, null);
	}

}
