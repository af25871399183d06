package io.transferportal.requests;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a managed user's life after provisioning.
 *
 * @param maxSshKeyAge how long after Transfer imported it an SSH key is due for rotation;
 * {@code null} (the default) for never
 */
@Validated
@ConfigurationProperties("portal.lifecycle")
public record LifecycleProperties(@Nullable Duration maxSshKeyAge) {
}
