package io.transferportal.provisioning.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reconciles the tags of a resource the portal created: what the request asks for (the
 * portal's own tags included) is set where it is missing or different; tags somebody else
 * added are kept, because the portal never removes what it did not add.
 */
public final class Tags {

	private Tags() {
	}

	/** The tags to set: desired ones that are missing from the live tags or differ. */
	public static Map<String, String> toSet(Map<String, String> desired, Map<String, String> live) {
		Map<String, String> missing = new LinkedHashMap<>();
		desired.forEach((key, value) -> {
			if (!value.equals(live.get(key))) {
				missing.put(key, value);
			}
		});
		return missing;
	}

	/** The live tags with the desired ones set: what the resource has afterwards. */
	public static Map<String, String> after(Map<String, String> desired, Map<String, String> live) {
		Map<String, String> after = new TreeMap<>(live);
		after.putAll(desired);
		return after;
	}

	/** Sorted by key, for documents an approver compares. */
	public static Map<String, String> sorted(Map<String, String> tags) {
		return new TreeMap<>(tags);
	}

	/** {@code key=value, ...} sorted by key. */
	public static String describe(Map<String, String> tags) {
		return new TreeMap<>(tags).entrySet()
			.stream()
			.map((tag) -> tag.getKey() + "=" + tag.getValue())
			.collect(Collectors.joining(", "));
	}

}
