package io.transferportal.ticketing.callback;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the status callbacks.
 *
 * @param allowedHosts the only hosts callbacks may go to: exact names or
 * {@code *.example.com} wildcards, case-insensitive; empty (the default) allows none, so
 * the portal never calls an address nobody configured
 * @param initialBackoff the wait after the first failed attempt; it doubles with every
 * further failure
 * @param maxBackoff the longest wait between two attempts
 * @param maxAttempts attempts before a delivery is given up as FAILED
 * @param sendInterval how often each instance looks for due deliveries
 * @param timeout connect timeout and, separately, request timeout of one attempt
 */
@Validated
@ConfigurationProperties("portal.callbacks")
record CallbackProperties(@DefaultValue List<String> allowedHosts, @DefaultValue("2s") Duration initialBackoff,
		@DefaultValue("5m") Duration maxBackoff, @DefaultValue("10") @Positive int maxAttempts,
		@DefaultValue("1s") Duration sendInterval, @DefaultValue("5s") Duration timeout) {

	/** The wait after the given number of failed attempts (1 for the first failure). */
	Duration backoff(int failedAttempts) {
		Duration delay = this.initialBackoff;
		for (int i = 1; i < failedAttempts && delay.compareTo(this.maxBackoff) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.maxBackoff) < 0) ? delay : this.maxBackoff;
	}

}
