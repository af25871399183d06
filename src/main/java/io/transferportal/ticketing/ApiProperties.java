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
 * @param batchReadsPerMinute reads of batches ({@code GET /api/v1/request-batches/**})
 * one token may make per minute, a budget of their own: following a batch of hundreds of
 * users is one cheap call, not one per user
 * @param maxBatchBodySize largest body of a batch submission ({@code POST
 * /api/v1/request-batches}, up to 500 users with their SSH keys)
 */
@Validated
@ConfigurationProperties("portal.api")
record ApiProperties(@DefaultValue("120") @Min(1) int requestsPerMinute, @DefaultValue("64KB") DataSize maxBodySize,
		@DefaultValue("600") @Min(1) int batchReadsPerMinute, @DefaultValue("2MB") DataSize maxBatchBodySize) {
}
