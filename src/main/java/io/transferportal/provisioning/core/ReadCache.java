package io.transferportal.provisioning.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Shares reads of AWS resources.
 * <ul>
 * <li>{@link #during}: within one plan, batch of plans or verification run (one thread),
 * every read is made once: the resources many users have in common (a bucket's
 * encryption, a key's policy, the server) are read once instead of once per user, and a
 * plan's input checks read what its decisions read next.</li>
 * <li>{@link #shared}: across the runs of one instance, the reads of resources users have
 * in common are reused for a few seconds, so a wave of runs on one bucket and key (a
 * batch) reads them once, not once per run. Only for what a run checks but does not
 * write; a write to one of them forgets them all.</li>
 * </ul>
 * Outside both nothing is cached: applying a change always reads live.
 */
public final class ReadCache {

	/** Reads that many users have in common: a bucket, a key, a server. */
	private static final List<String> SHARED_KINDS = List.of("s3-bucket:", "kms-key-policy:", "kms-describe-key:",
			"transfer-server:");

	private static final ThreadLocal<Map<String, Object>> CACHE = new ThreadLocal<>();

	private static final ThreadLocal<Scope> SHARED_SCOPE = new ThreadLocal<>();

	private static final Map<String, Timed> SHARED = new ConcurrentHashMap<>();

	private ReadCache() {
	}

	public static <T> T during(Supplier<T> work) {
		return during(Map.of(), work);
	}

	/**
	 * As {@link #during(Supplier)}, starting from what another thread's plan read
	 * ({@link #snapshot}): the plans of a batch, made on several threads, share the reads
	 * the first one made.
	 */
	public static <T> T during(Map<String, @Nullable Object> seed, Supplier<T> work) {
		if (CACHE.get() != null) {
			return work.get();
		}
		CACHE.set(new HashMap<>(seed));
		try {
			return work.get();
		}
		finally {
			CACHE.remove();
		}
	}

	/** A copy of what this plan or run read so far (empty outside {@link #during}). */
	public static Map<String, @Nullable Object> snapshot() {
		Map<String, Object> cache = CACHE.get();
		return (cache != null) ? new HashMap<>(cache) : Map.of();
	}

	/**
	 * Runs the work reusing, and offering to other threads, the reads of shared resources
	 * made less than {@code freshFor} ago (by the clock given).
	 */
	public static <T> T shared(Clock clock, Duration freshFor, Supplier<T> work) {
		if (SHARED_SCOPE.get() != null) {
			return work.get();
		}
		SHARED_SCOPE.set(new Scope(clock, freshFor));
		try {
			return work.get();
		}
		finally {
			SHARED_SCOPE.remove();
		}
	}

	/** Forgets every shared read: one of the shared resources was just written. */
	public static void forgetShared() {
		SHARED.clear();
	}

	@SuppressWarnings("unchecked")
	public static <T> T get(String key, Supplier<T> read) {
		Map<String, Object> cache = CACHE.get();
		if (cache != null) {
			if (!cache.containsKey(key)) {
				cache.put(key, read.get());
			}
			return (T) cache.get(key);
		}
		Scope scope = SHARED_SCOPE.get();
		if (scope != null && SHARED_KINDS.stream().anyMatch(key::startsWith)) {
			return (T) shared(key, scope, read);
		}
		return read.get();
	}

	/**
	 * A fresh shared read, or this thread's own; runs that miss at the same moment (a
	 * wave of runs starting together) wait for one read instead of each making it.
	 */
	private static @Nullable Object shared(String key, Scope scope, Supplier<?> read) {
		Instant now = scope.clock().instant();
		Timed mine = new Timed(new CompletableFuture<>(), now);
		Timed current = SHARED.compute(key,
				(k, cached) -> (cached != null && cached.readAt().plus(scope.freshFor()).isAfter(now)) ? cached : mine);
		if (current == mine) {
			try {
				mine.value().complete(Optional.ofNullable(read.get()));
			}
			catch (RuntimeException ex) {
				SHARED.remove(key, mine);
				mine.value().completeExceptionally(ex);
				throw ex;
			}
		}
		try {
			return current.value().join().orElse(null);
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException failed) {
				// the other run's read failed: so does this one's, with the same error
				throw failed;
			}
			throw ex;
		}
	}

	/**
	 * Records what a bulk read found, for the reads of this plan or run that follow;
	 * nothing outside {@link #during}.
	 */
	public static void put(String key, @Nullable Object value) {
		Map<String, Object> cache = CACHE.get();
		if (cache != null) {
			cache.put(key, value);
		}
	}

	/**
	 * What this plan or run already read under the key, without reading: empty when it
	 * has not read it (or nothing is cached here). A {@code null} value (the resource
	 * does not exist) is present as an empty inner optional.
	 */
	public static Optional<Optional<Object>> peek(String key) {
		Map<String, Object> cache = CACHE.get();
		if (cache == null || !cache.containsKey(key)) {
			return Optional.empty();
		}
		return Optional.of(Optional.ofNullable(cache.get(key)));
	}

	private record Scope(Clock clock, Duration freshFor) {
	}

	private record Timed(CompletableFuture<Optional<Object>> value, Instant readAt) {
	}

}
