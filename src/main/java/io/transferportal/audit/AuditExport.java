package io.transferportal.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/** Writes audit records as CSV (RFC 4180, safe to open in a spreadsheet) or JSON. */
final class AuditExport {

	private static final List<String> HEADER = List.of("id", "occurredAt", "actor", "action", "requestId", "ticketRef",
			"serverId", "userName", "resource", "resourceArn", "outcome", "before", "after", "detail");

	// Jackson 3 writes java.time values as ISO-8601 text by default
	private static final JsonMapper JSON = JsonMapper.builder().build();

	private AuditExport() {
	}

	static void csv(List<AuditRecord> records, Writer out) {
		try {
			out.write(String.join(",", HEADER));
			out.write("\r\n");
			for (AuditRecord r : records) {
				List<Object> values = java.util.Arrays.asList(r.id(), r.occurredAt(), r.actor(), r.action(),
						r.requestId(), r.ticketRef(), r.serverId(), r.userName(), r.resource(), r.resourceArn(),
						r.outcome(), r.before(), r.after(), r.detail());
				out.write(String.join(",", values.stream().map(AuditExport::cell).toList()));
				out.write("\r\n");
			}
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void json(List<AuditRecord> records, Writer out) {
		JSON.writeValue(out, records);
	}

	private static String cell(Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		// a leading = + - @ would make a spreadsheet evaluate the cell as a formula (CSV
		// injection)
		if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
			text = "'" + text;
		}
		return "\"" + text.replace("\"", "\"\"") + "\"";
	}

}
