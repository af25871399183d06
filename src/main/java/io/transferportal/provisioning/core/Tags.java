package io.transferportal.provisioning.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.transferportal.provisioning.validation.UserSpecValidator;

/**
 * Reconciles the tags of a resource the portal created: what the request asks for (the
 * portal's own tags included) is set where it is missing or different; a tag a change
 * drops is removed only if the portal set it (it was in the approved settings the change
 * replaces); tags somebody else added are kept, because the portal never removes what it
 * did not add, and the portal's own tags are never removed.
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
		return after(desired, live, List.of());
	}

	/**
	 * The live tags without the removed keys and with the desired ones set: what the
	 * resource has afterwards.
	 */
	public static Map<String, String> after(Map<String, String> desired, Map<String, String> live,
			Collection<String> removed) {
		Map<String, String> after = new TreeMap<>(live);
		removed.forEach(after::remove);
		after.putAll(desired);
		return after;
	}

	/**
	 * The keys a change may remove: set by the portal before (in the approved tags it
	 * replaces), no longer asked for, and not one of the portal's own. Sorted.
	 */
	public static List<String> removable(Map<String, String> previous, Map<String, String> desired) {
		return previous.keySet()
			.stream()
			.filter((key) -> !desired.containsKey(key) && !isPortalOwn(key))
			.sorted()
			.toList();
	}

	/**
	 * The removable keys the resource still has; never a desired key nor one of the
	 * portal's own (checked again here: whatever a target carries, these stay). Sorted.
	 */
	public static List<String> toRemove(Collection<String> removable, Map<String, String> desired,
			Map<String, String> live) {
		return removable.stream()
			.filter((key) -> live.containsKey(key) && !desired.containsKey(key) && !isPortalOwn(key))
			.distinct()
			.sorted()
			.toList();
	}

	/** The tags the portal marks its resources with: never removed. */
	public static boolean isPortalOwn(String key) {
		return key.equals(Target.MANAGED_TAG) || key.startsWith(UserSpecValidator.RESERVED_TAG_PREFIX);
	}

	/** {@code remove tag a} or {@code remove tags a, b}. */
	public static String describeRemoval(List<String> keys) {
		return "remove " + ((keys.size() == 1) ? "tag " : "tags ") + String.join(", ", keys);
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
