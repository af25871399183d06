package io.transferportal.provisioning.aws;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the portal reaches AWS. Credentials are never configured here: they come from the
 * SDK default provider chain (instance profile, pod identity, environment), so no keys
 * live in configuration.
 *
 * @param region the region of the Transfer servers, buckets and keys the portal manages
 * @param endpoint optional endpoint override applied to every client (an emulator such as
 * moto_server)
 */
@Validated
@ConfigurationProperties("portal.aws")
public record AwsProperties(@NotBlank String region, @Nullable URI endpoint) {
}
