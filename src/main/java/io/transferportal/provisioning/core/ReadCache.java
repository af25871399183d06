package io.transferportal.provisioning.core;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Shares reads of resources many users have in common (a bucket's encryption, a key's
 * policy) within one verification run, so a run reads each once instead of once per user,
 * and the reads of one plan, whose input checks read what its decisions read next.
 * Outside {@link #during} nothing is cached: applying always reads live.
 */
public final class ReadCache {

	private static final ThreadLocal<Map<String, Object>> CACHE = new ThreadLocal<>();

	private ReadCache() {
	}

	public static <T> T during(Supplier<T> work) {
		if (CACHE.get() != null) {
			return work.get();
		}
		CACHE.set(new HashMap<>());
		try {
			return work.get();
		}
		finally {
			CACHE.remove();
		}
	}

	@SuppressWarnings("unchecked")
	public static <T> T get(String key, Supplier<T> read) {
		Map<String, Object> cache = CACHE.get();
		if (cache == null) {
			return read.get();
		}
		if (!cache.containsKey(key)) {
			cache.put(key, read.get());
		}
		return (T) cache.get(key);
	}

}
