package io.transferportal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.TimeMeter;

/**
 * Bucket4j's time from the application's {@link Clock}, so that rate limits and sign-in
 * throttles refill by the same time as every other rule (and tests move it without
 * waiting).
 *
 * @param clock the application's clock
 */
public record ClockTimeMeter(Clock clock) implements TimeMeter {

	@Override
	public long currentTimeNanos() {
		Instant now = this.clock.instant();
		return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
	}

	@Override
	public boolean isWallClockBased() {
		return true;
	}

}
