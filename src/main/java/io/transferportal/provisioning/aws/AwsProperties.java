package io.transferportal.provisioning.aws;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the portal reaches AWS. Credentials are never configured here: they come from the
 * SDK default provider chain (instance profile, pod identity, environment), so no keys
 * live in configuration.
 *
 * @param region the region of the Transfer servers, buckets and keys the portal manages
 * @param endpoint optional endpoint override applied to every client (an emulator such as
 * moto_server)
 * @param maxConcurrentCalls how many calls to each service may be under way at once, per
 * portal instance (a bulkhead per service)
 */
@Validated
@ConfigurationProperties("portal.aws")
public record AwsProperties(@NotBlank String region, @Nullable URI endpoint,
		@DefaultValue @Valid MaxConcurrentCalls maxConcurrentCalls) {

	/**
	 * The bulkhead of each service: at most this many calls at once (retries and back-off
	 * included), whatever {@code portal.provisioning.concurrency} lets run. AWS throttles
	 * per account and Region with quotas it mostly does not publish for IAM and Transfer,
	 * and IAM's are shared by everything in the account; lower these when others see
	 * throttling.
	 *
	 * @param iam IAM (roles and their policies)
	 * @param kms KMS (key metadata and key policies)
	 * @param s3 S3 (bucket encryption and policy, folder markers)
	 * @param transfer AWS Transfer Family (servers and users)
	 * @param sts STS (the account id)
	 */
	public record MaxConcurrentCalls(@DefaultValue("8") @Min(1) @Max(256) int iam,
			@DefaultValue("8") @Min(1) @Max(256) int kms, @DefaultValue("16") @Min(1) @Max(256) int s3,
			@DefaultValue("8") @Min(1) @Max(256) int transfer, @DefaultValue("2") @Min(1) @Max(256) int sts) {
	}

}
