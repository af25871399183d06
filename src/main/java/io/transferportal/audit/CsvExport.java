package io.transferportal.audit;

import java.io.Writer;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/**
 * The portal's one CSV writer, for every export (audit trail, dashboard): RFC 4180
 * quoting where a cell needs it, CRLF line ends, and cells that a spreadsheet would run
 * as a formula ({@code = + - @}, tab, carriage return) prefixed with {@code '} (CSV
 * injection).
 */
public final class CsvExport {

	private static final CsvMapper CSV = CsvMapper.builder()
		.enable(CsvWriteFeature.STRICT_CHECK_FOR_QUOTING)
		// the caller owns the writer (an HTTP response written in several chunks)
		.disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
		.build();

	private static final CsvSchema ROWS = CsvSchema.emptySchema().withLineSeparator("\r\n");

	private CsvExport() {
	}

	/**
	 * Writes the rows, each a list of cells ({@code null} is an empty cell, anything else
	 * its {@code toString()}), and flushes the writer.
	 */
	public static void write(Iterable<? extends List<? extends @Nullable Object>> rows, Writer out) {
		try (SequenceWriter writer = CSV.writer(ROWS).writeValues(out)) {
			for (List<? extends @Nullable Object> row : rows) {
				writer.write(row.stream().map(CsvExport::cell).toArray(String[]::new));
			}
		}
	}

	private static String cell(@Nullable Object value) {
		if (value == null) {
			return ""; // not a null cell: the CSV generator drops a null at the start of
						// a row
		}
		String text = value.toString();
		if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
			return "'" + text;
		}
		return text;
	}

}
