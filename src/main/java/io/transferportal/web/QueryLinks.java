package io.transferportal.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Links to a page with query parameters: only the parameters that say something (not
 * null, not blank), in the order given, each value encoded strictly ('+', '&', '%'), so
 * that any typed filter survives the round trip.
 */
final class QueryLinks {

	private QueryLinks() {
	}

	/**
	 * The page at {@code path} with these parameters; null and blank values are left out.
	 */
	static String link(String path, Map<String, @Nullable Object> params) {
		UriComponentsBuilder link = UriComponentsBuilder.fromPath(path);
		Map<String, Object> values = new LinkedHashMap<>();
		params.forEach((name, value) -> {
			if (value != null && !value.toString().isBlank()) {
				link.queryParam(name, "{" + name + "}");
				values.put(name, value.toString().strip());
			}
		});
		return link.encode().buildAndExpand(values).toUriString();
	}

	/** A map that keeps its order and takes nulls, for {@link #link}. */
	static Map<String, @Nullable Object> params() {
		return new LinkedHashMap<>();
	}

}
