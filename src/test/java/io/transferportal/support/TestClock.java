package io.transferportal.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The portal's clock in {@link LifecycleIntegrationTest}s: the system clock shifted by an
 * offset a test sets, so expiries, rotations and reviews come due without waiting. Each
 * test starts with {@link #reset()}; move it only while no run is in flight (the
 * scheduler also reads it).
 */
public class TestClock extends Clock {

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
		return Instant.now().plus(this.offset.get());
	}

}
