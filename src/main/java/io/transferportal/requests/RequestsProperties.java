package io.transferportal.requests;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the request workflow.
 *
 * @param lease how long a runner owns a request without renewing (renewed before each
 * step, so it must outlast the longest step: a key-policy write may wait for the key's
 * lock and retry for IAM propagation); a run whose runner died is resumed after that
 * @param resumeInterval how often each instance looks for approved requests and expired
 * leases
 * @param verificationInterval how often every active user is re-verified
 */
@Validated
@ConfigurationProperties("portal.requests")
public record RequestsProperties(@DefaultValue("10m") Duration lease, @DefaultValue("30s") Duration resumeInterval,
		@DefaultValue("15m") Duration verificationInterval) {
}
