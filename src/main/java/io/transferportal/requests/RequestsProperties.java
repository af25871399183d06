package io.transferportal.requests;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the request workflow.
 *
 * @param lease how long a run may go without a heartbeat before another instance takes it
 * for dead and resumes it (the running instance renews the heartbeat every quarter of
 * this, see {@link ProvisioningScheduler}); also how long a run that stopped on an error
 * waits before it is tried again
 * @param resumeInterval how often each instance polls for due runs (the approving
 * instance also looks right after the approval commits)
 * @param verificationInterval how often every active user is re-verified
 */
@Validated
@ConfigurationProperties("portal.requests")
public record RequestsProperties(@DefaultValue("10m") Duration lease, @DefaultValue("30s") Duration resumeInterval,
		@DefaultValue("15m") Duration verificationInterval) {
}
