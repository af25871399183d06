package io.transferportal.audit;

import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit records as CSV (through {@link CsvExport}, safe to open in a spreadsheet)
 * or JSON.
 */
final class AuditExport {

	private static final List<String> HEADER = List.of("id", "occurredAt", "actor", "action", "requestId", "ticketRef",
			"serverId", "userName", "resource", "resourceArn", "outcome", "before", "after", "detail", "awsRequestId");

	// Jackson 3 writes java.time values as ISO-8601 text by default
	private static final JsonMapper JSON = JsonMapper.builder().build();

	private AuditExport() {
	}

	static void csv(List<AuditRecord> records, Writer out) {
		List<List<? extends @Nullable Object>> rows = new ArrayList<>();
		rows.add(HEADER);
		for (AuditRecord r : records) {
			rows.add(Arrays.asList(r.id(), r.occurredAt(), r.actor(), r.action(), r.requestId(), r.ticketRef(),
					r.serverId(), r.userName(), r.resource(), r.resourceArn(), r.outcome(), r.before(), r.after(),
					r.detail(), r.awsRequestId()));
		}
		CsvExport.write(rows, out);
	}

	static void json(List<AuditRecord> records, Writer out) {
		JSON.writeValue(out, records);
	}

}
