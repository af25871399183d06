package io.transferportal.requests;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many provisioning runs one instance executes at once.
 * <p>
 * Named {@code portal.provisioning.concurrency} because operators think of it as the
 * provisioning engine's throughput, but bound here: the runs are this module's
 * db-scheduler executions ({@link ProvisioningScheduler}), and the engine's own settings
 * record is internal to the provisioning module. The connection pool is sized to it
 * ({@link ConnectionPoolSizing}).
 *
 * @param concurrency runs executed at once by this instance (the scheduler's executor
 * threads); further due runs wait in the database until a thread is free
 */
@Validated
@ConfigurationProperties(ProvisioningConcurrencyProperties.PREFIX)
public record ProvisioningConcurrencyProperties(
		@DefaultValue(DEFAULT_CONCURRENCY) @Min(MIN_CONCURRENCY) @Max(MAX_CONCURRENCY) int concurrency) {

	static final String PREFIX = "portal.provisioning";

	static final String PROPERTY = PREFIX + ".concurrency";

	/**
	 * A run spends most of its time waiting for AWS, one service at a time; 16 at once
	 * keep each service's bulkhead (8 calls by default) busy, so the bulkheads, not this,
	 * bound the load on AWS. Measured at 50 ms per AWS call, 200 users: 8 at once 2.02x a
	 * sequential script, 16 at once 2.81x (the benchmark in the README).
	 */
	static final String DEFAULT_CONCURRENCY = "16";

	static final int MIN_CONCURRENCY = 1;

	static final int MAX_CONCURRENCY = 64;

}
