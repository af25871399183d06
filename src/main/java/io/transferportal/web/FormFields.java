package io.transferportal.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.SshKey;

/** What the request forms share: SSH keys one per line, tags one key=value per line. */
final class FormFields {

	static final String SSH_KEYS = "sshPublicKeys";

	static final String PRIVATE_KEY_MESSAGE = "This is a private key: it was not stored or sent anywhere, and it is "
			+ "not shown again. Keep it secret (consider it exposed if it was shared), and paste the public key "
			+ "instead: the one-line .pub file";

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

	/**
	 * A form's last day of access as the instant access ends: the end of that day in UTC
	 * (the portal's time zone), {@code null} for none.
	 */
	static @Nullable Instant endOfDay(@Nullable LocalDate lastDay) {
		return (lastDay != null) ? lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() : null;
	}

	/**
	 * If the form's SSH keys hold a private key, refuses it with one message instead of
	 * one per line of it, and makes sure it is never sent back: the model's form becomes
	 * {@code withoutKeys} and its binding result a new one, with the form's other field
	 * errors and this one, whose rejected value (what the textarea shows) is empty.
	 * @return whether the keys were refused
	 */
	static boolean refusePrivateKey(@Nullable String keys, Object withoutKeys, BindingResult result, Model model) {
		if (!SshKey.holdsPrivateKey(keys)) {
			return false;
		}
		BindingResult refused = new BeanPropertyBindingResult(withoutKeys, result.getObjectName());
		refused.addError(new FieldError(result.getObjectName(), SSH_KEYS, "", false, new String[] { "private-key" },
				null, PRIVATE_KEY_MESSAGE));
		result.getFieldErrors()
			.stream()
			.filter((error) -> !error.getField().equals(SSH_KEYS))
			.forEach(refused::addError);
		model.addAttribute(result.getObjectName(), withoutKeys);
		model.addAttribute(BindingResult.MODEL_KEY_PREFIX + result.getObjectName(), refused);
		return true;
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
