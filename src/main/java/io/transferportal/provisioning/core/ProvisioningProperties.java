package io.transferportal.provisioning.core;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the provisioning engine.
 *
 * @param rolePrefix name prefix of dedicated roles
 * @param rolePath IAM path of dedicated roles, so the portal's own IAM permissions can be
 * limited to that path
 * @param maxSshKeys most SSH keys per user (AWS Transfer allows 50)
 * @param minRsaBits smallest accepted RSA key size
 * @param iamPropagation retry of key-policy writes that fail because a just-created role
 * is not yet visible to KMS
 */
@Validated
@ConfigurationProperties("portal.provisioning")
public record ProvisioningProperties(
		@DefaultValue("transfer-portal-") @Pattern(regexp = "[\\w+=,.@-]{1,30}") String rolePrefix,
		@DefaultValue("/transfer-portal/") @Pattern(regexp = "/([\\x21-\\x7E]+/)?") String rolePath,
		@DefaultValue("50") @Min(1) @Max(50) int maxSshKeys, @DefaultValue("2048") @Min(2048) int minRsaBits,
		@DefaultValue @Valid @NotNull Propagation iamPropagation) {

	/**
	 * Bounded exponential backoff for IAM eventual consistency.
	 *
	 * @param maxRetries retries after the first attempt
	 * @param delay first delay
	 * @param maxDelay longest delay between attempts
	 */
	public record Propagation(@DefaultValue("12") @Min(0) int maxRetries, @DefaultValue("1s") Duration delay,
			@DefaultValue("15s") Duration maxDelay) {
	}

}
