package io.transferportal.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.lang3.StringUtils;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.BatchItem;
import io.transferportal.requests.BatchViolation;

/**
 * The CSV of a bulk request, read with Jackson's CSV module: one user per row, the
 * columns of {@link #COLUMNS} named in a header row (in any order; all but
 * {@code serverId}, {@code userName}, {@code bucket}, {@code kmsKeyArn} and
 * {@code sshPublicKeys} may be left out or empty). Several SSH keys are separated by
 * {@code ;}, tags are {@code key=value;key=value}, {@code expiresAt} is the last day of
 * access ({@code 2027-03-31}, until the end of that day in UTC). What cannot be read
 * becomes a field error of its row, so every row's errors are shown at once.
 */
final class BatchCsv {

	static final List<String> COLUMNS = List.of("serverId", "userName", "bucket", "homePrefix", "kmsKeyArn",
			"sshPublicKeys", "accessLevel", "roleArn", "expiresAt", "tags");

	private static final List<String> REQUIRED = List.of("serverId", "userName", "bucket", "kmsKeyArn",
			"sshPublicKeys");

	private static final CsvMapper CSV = CsvMapper.builder().enable(CsvReadFeature.TRIM_SPACES).build();

	private BatchCsv() {
	}

	/** The template offered for download: the header and one example row. */
	static String template() {
		return String.join(",", COLUMNS) + "\n"
				+ "s-0123456789abcdef0,partner-acme,acme-inbox,partners/acme,arn:aws:kms:us-east-1:123456789012:key/"
				+ "00000000-0000-0000-0000-000000000000,\"ssh-ed25519 AAAA... first@host;ssh-ed25519 AAAA... second@host\","
				+ "READ_WRITE,,2027-03-31,cost-center=4711;team=partners\n";
	}

	/**
	 * The rows as batch items (index = row number - 1), and the errors found reading
	 * them; a file that cannot be read at all is one error of index -1.
	 */
	static Parsed parse(String text) {
		List<BatchItem> items = new ArrayList<>();
		List<BatchViolation> violations = new ArrayList<>();
		if (text.isBlank()) {
			violations
				.add(new BatchViolation(-1, "file", "is empty; upload a CSV with a header row and one user per row"));
			return new Parsed(items, violations);
		}
		// the header names the columns; checked before any row is read
		String firstLine = text.strip().lines().findFirst().orElse("");
		List<String> header = Arrays.stream(firstLine.split(",")).map((c) -> c.strip().replace("\"", "")).toList();
		List<String> unknown = header.stream().filter((column) -> !COLUMNS.contains(column)).toList();
		List<String> missing = REQUIRED.stream().filter((column) -> !header.contains(column)).toList();
		if (!unknown.isEmpty() || !missing.isEmpty()) {
			violations.add(new BatchViolation(-1, "file",
					"the header row must name the columns " + String.join(",", COLUMNS)
							+ (unknown.isEmpty() ? "" : "; unknown: " + String.join(", ", unknown))
							+ (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))));
			return new Parsed(items, violations);
		}
		CsvSchema schema = CsvSchema.emptySchema().withHeader();
		try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
			.with(schema)
			.readValues(text.strip())) {
			while (rows.hasNextValue()) {
				items.add(item(items.size(), rows.nextValue(), violations));
			}
		}
		catch (JacksonException ex) {
			violations.add(new BatchViolation(-1, "file",
					"is not valid CSV after row " + items.size() + " (check quotes and commas)"));
		}
		return new Parsed(items, violations);
	}

	private static BatchItem item(int index, Map<String, String> row, List<BatchViolation> violations) {
		List<String> keys = split(row.get("sshPublicKeys"));
		UserSpec spec = new UserSpec(value(row, "serverId"), value(row, "userName"), value(row, "bucket"),
				StringUtils.trimToNull(row.get("homePrefix")), value(row, "kmsKeyArn"), keys,
				accessLevel(index, row.get("accessLevel"), violations), StringUtils.trimToNull(row.get("roleArn")),
				tags(index, row.get("tags"), violations));
		return new BatchItem(spec, expiry(index, row.get("expiresAt"), violations));
	}

	private static String value(Map<String, String> row, String column) {
		return StringUtils.trimToEmpty(row.get(column));
	}

	private static List<String> split(@Nullable String text) {
		return Arrays.stream(StringUtils.defaultString(text).split(";"))
			.map(String::strip)
			.filter((s) -> !s.isEmpty())
			.toList();
	}

	private static @Nullable AccessLevel accessLevel(int index, @Nullable String text,
			List<BatchViolation> violations) {
		if (StringUtils.isBlank(text)) {
			return null;
		}
		try {
			return AccessLevel.valueOf(text.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			violations.add(new BatchViolation(index, "accessLevel", "must be READ_WRITE or READ_ONLY"));
			return null;
		}
	}

	private static Map<String, String> tags(int index, @Nullable String text, List<BatchViolation> violations) {
		Map<String, String> tags = new LinkedHashMap<>();
		for (String pair : split(text)) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				violations.add(new BatchViolation(index, "tags", "'" + StringUtils.abbreviate(pair, 40)
						+ "' is not key=value (several tags are separated by ';')"));
				continue;
			}
			tags.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
		}
		return tags;
	}

	private static @Nullable Instant expiry(int index, @Nullable String text, List<BatchViolation> violations) {
		if (StringUtils.isBlank(text)) {
			return null;
		}
		try {
			return FormFields.endOfDay(LocalDate.parse(text.strip()));
		}
		catch (DateTimeParseException ex) {
			violations.add(new BatchViolation(index, "expiresAt",
					"must be a date such as 2027-03-31 (the last day of access)"));
			return null;
		}
	}

	/** The rows read, and what could not be read. */
	record Parsed(List<BatchItem> items, List<BatchViolation> violations) {
	}

}
