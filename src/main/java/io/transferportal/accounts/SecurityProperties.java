package io.transferportal.accounts;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sign-in rules ({@link LoginThrottle}).
 *
 * @param maxFailedLogins password sign-ins a user name may try in a period before it must
 * wait (whether or not an account has that name; a correct password gives them back)
 * @param maxFailedLoginsPerAddress the same for one client address (an IPv6 /64), over
 * every name: higher, since people behind one office address share it
 * @param failedLoginPeriod the time over which spent attempts come back, one by one
 */
@Validated
@ConfigurationProperties("portal.security")
record SecurityProperties(@DefaultValue("5") @Min(1) int maxFailedLogins,
		@DefaultValue("50") @Min(1) int maxFailedLoginsPerAddress, @DefaultValue("15m") Duration failedLoginPeriod) {
}
