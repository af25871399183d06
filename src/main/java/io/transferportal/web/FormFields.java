package io.transferportal.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.validation.BindingResult;

import io.transferportal.provisioning.FieldViolation;

/** What the request forms share: SSH keys one per line, tags one key=value per line. */
final class FormFields {

	private FormFields() {
	}

	static List<String> lines(@Nullable String text) {
		return (text != null) ? Arrays.stream(text.split("\\R")).map(String::strip).filter((l) -> !l.isEmpty()).toList()
				: List.of();
	}

	/**
	 * Tags from {@code key=value} lines; a line without '=' becomes a key with an empty
	 * value (and fails validation).
	 */
	static Map<String, String> tags(@Nullable String text) {
		Map<String, String> tags = new LinkedHashMap<>();
		if (text != null) {
			for (String line : text.split("\\R")) {
				if (!line.isBlank()) {
					int equals = line.indexOf('=');
					tags.put((equals < 0) ? line.strip() : line.substring(0, equals).strip(),
							(equals < 0) ? "" : line.substring(equals + 1).strip());
				}
			}
		}
		return tags;
	}

	/** Tags as the form shows them: one key=value per line. */
	static String tagLines(Map<String, String> tags) {
		StringBuilder text = new StringBuilder();
		tags.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
		return text.toString();
	}

	/** Puts each violation next to its form field: SSH keys and tags by line. */
	/**
	 * A form's last day of access as the instant access ends: the end of that day in UTC
	 * (the portal's time zone), {@code null} for none.
	 */
	static @Nullable Instant endOfDay(@Nullable LocalDate lastDay) {
		return (lastDay != null) ? lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() : null;
	}

	static void reject(List<FieldViolation> violations, BindingResult result) {
		for (FieldViolation violation : violations) {
			String field = violation.field();
			if (field.startsWith("sshPublicKeys[")) {
				int index = Integer.parseInt(field.substring(14, field.indexOf(']')));
				result.rejectValue("sshPublicKeys", "invalid", "Key " + (index + 1) + " " + violation.message());
			}
			else if (field.startsWith("tags")) {
				String key = field.startsWith("tags[") ? field.substring(5, field.length() - 1) : "";
				result.rejectValue("tags", "invalid",
						(key.isEmpty() ? "Tags " : "Tag '" + key + "' ") + violation.message());
			}
			else {
				result.rejectValue(field, "invalid", violation.message());
			}
		}
	}

}
