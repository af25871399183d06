package io.transferportal.web;

import java.time.ZoneId;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the pages show what they show.
 *
 * @param timeZone the zone every time on a page is written in (the team's local time);
 * the exact UTC time is in each time's tooltip and {@code datetime} attribute. Defaults
 * to the JVM's zone.
 */
@ConfigurationProperties("portal.web")
public record WebProperties(@Nullable ZoneId timeZone) {

	ZoneId zone() {
		return (this.timeZone != null) ? this.timeZone : ZoneId.systemDefault();
	}

}
