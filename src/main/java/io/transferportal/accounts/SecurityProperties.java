package io.transferportal.accounts;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sign-in rules.
 *
 * @param maxFailedLogins wrong passwords in a row that lock an account
 * @param lockoutDuration how long a locked account stays locked (an administrator's
 * password reset ends it early)
 */
@Validated
@ConfigurationProperties("portal.security")
record SecurityProperties(@DefaultValue("5") @Min(1) int maxFailedLogins,
		@DefaultValue("15m") Duration lockoutDuration) {
}
