package io.transferportal.provisioning.core;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Pretty JSON for the before/after documents of resources that are not IAM policies. */
public final class Documents {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private Documents() {
	}

	private static final JsonMapper COMPACT = JsonMapper.builder().build();

	/** Compact JSON, e.g. as the input of a fingerprint. */
	public static String compact(Object document) {
		return COMPACT.writeValueAsString(document);
	}

	/**
	 * A JSON document as a tree, to embed it in a larger document (e.g. a policy inside a
	 * resource's document).
	 */
	public static JsonNode tree(String json) {
		return COMPACT.readTree(json);
	}

	/**
	 * Serializes maps, lists and records; give maps in a fixed order (e.g.
	 * {@code LinkedHashMap}).
	 */
	public static String pretty(Object document) {
		return JSON.writeValueAsString(document);
	}

}
