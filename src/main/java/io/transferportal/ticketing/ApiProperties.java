package io.transferportal.ticketing;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the REST API.
 *
 * @param requestsPerMinute calls one token may make per minute (token bucket, refilled
 * continuously)
 * @param maxBodySize largest request body accepted
 */
@Validated
@ConfigurationProperties("portal.api")
record ApiProperties(@DefaultValue("120") @Min(1) int requestsPerMinute, @DefaultValue("64KB") DataSize maxBodySize) {
}
