package io.transferportal.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The portal's clock in {@link LifecycleIntegrationTest}s: the system clock shifted by an
 * offset a test sets, so expiries, rotations and reviews come due without waiting. Each
 * test starts with {@link #reset()}; move it only while no run is in flight (the
 * scheduler also reads it). Unit tests use {@link #frozenAt}: then only the test moves
 * time.
 */
public class TestClock extends Clock {

	private final @Nullable Instant base;

	/** The system clock, shifted by what the test advances it. */
	public TestClock() {
		this(null);
	}

	private TestClock(@Nullable Instant base) {
		this.base = base;
	}

	/** A clock that stands at {@code start} until the test advances it. */
	public static TestClock frozenAt(Instant start) {
		return new TestClock(start);
	}

	private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

	/** Moves the portal's time forward by {@code amount} (on top of earlier moves). */
	public void advance(Duration amount) {
		this.offset.accumulateAndGet(amount, Duration::plus);
	}

	/** Back to the system's time. */
	public void reset() {
		this.offset.set(Duration.ZERO);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("The portal's clock is UTC");
	}

	@Override
	public Instant instant() {
		return ((this.base != null) ? this.base : Instant.now()).plus(this.offset.get());
	}

}
