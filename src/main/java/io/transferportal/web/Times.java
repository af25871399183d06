package io.transferportal.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * One way to write a time on every page: the team's local time with its zone
 * ({@code 2026-12-02 17:10 CET}), and the exact UTC instant on hover and in the
 * {@code datetime} attribute ({@code fragments/time :: at(instant)}). Every page's model
 * holds it as {@code times}; a controller advice, so that MVC slice tests render with it
 * too.
 */
@ControllerAdvice
@EnableConfigurationProperties(WebProperties.class)
public class Times {

	private final DateTimeFormatter local;

	Times(WebProperties properties) {
		this.local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT).withZone(properties.zone());
	}

	@ModelAttribute("times")
	Times times() {
		return this;
	}

	/** The time as people read it, to the minute, in the portal's zone. */
	public String local(@Nullable Instant instant) {
		return (instant != null) ? this.local.format(instant) : "";
	}

	/** The exact instant, to the second, in UTC (ISO 8601). */
	public String utc(@Nullable Instant instant) {
		return (instant != null) ? DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS)) : "";
	}

}
