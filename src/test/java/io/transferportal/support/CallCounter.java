package io.transferportal.support;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts AWS calls per service and operation, with the time of the first and the last
 * call since the last reset (the proxy's clock, {@link System#nanoTime()}).
 */
public final class CallCounter {

	private final Map<AwsCall, LongAdder> counts = new ConcurrentHashMap<>();

	private final AtomicLong first = new AtomicLong(Long.MIN_VALUE);

	private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

	public void record(AwsCall call, long nanos) {
		this.counts.computeIfAbsent(call, (key) -> new LongAdder()).increment();
		this.first.compareAndSet(Long.MIN_VALUE, nanos);
		this.last.accumulateAndGet(nanos, Math::max);
	}

	/** Forgets every count and time, at the start of a measured phase. */
	public synchronized Snapshot reset() {
		Snapshot before = snapshot();
		this.counts.clear();
		this.first.set(Long.MIN_VALUE);
		this.last.set(Long.MIN_VALUE);
		return before;
	}

	public Snapshot snapshot() {
		Map<AwsCall, Long> copy = new TreeMap<>((a, b) -> a.name().compareTo(b.name()));
		this.counts.forEach((call, count) -> copy.put(call, count.sum()));
		return new Snapshot(copy, this.first.get(), this.last.get());
	}

	/**
	 * Counts at one moment.
	 *
	 * @param counts calls per operation, sorted by service and operation
	 * @param firstNanos when the first call came, {@link Long#MIN_VALUE} if none did
	 * @param lastNanos when the last call came, {@link Long#MIN_VALUE} if none did
	 */
	public record Snapshot(Map<AwsCall, Long> counts, long firstNanos, long lastNanos) {

		public long total() {
			return this.counts.values().stream().mapToLong(Long::longValue).sum();
		}

		public long reads() {
			return this.counts.entrySet()
				.stream()
				.filter((e) -> e.getKey().read())
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

		public long writes() {
			return total() - reads();
		}

		/** Seconds between the first and the last call, 0 with fewer than two. */
		public double seconds() {
			return (this.firstNanos == Long.MIN_VALUE) ? 0 : (this.lastNanos - this.firstNanos) / 1e9;
		}

		/** Calls per operation, by {@code service:Operation}. */
		public Map<String, Long> byName() {
			Map<String, Long> names = new TreeMap<>();
			this.counts.forEach((call, count) -> names.put(call.name(), count));
			return names;
		}

	}

}
