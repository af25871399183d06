package io.transferportal.requests;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a managed user's life after provisioning.
 *
 * @param maxSshKeyAge how long after Transfer imported it an SSH key is due for rotation;
 * {@code null} (the default) for never
 * @param rotationOverlap how long a rotation keeps the keys it replaces, when the request
 * does not say ({@code retireAfter})
 * @param expiryWarning how long before its access expires a user shows "expiring" and the
 * requester is called back ({@code USER_EXPIRING})
 * @param reviewInterval how often an approver must re-confirm each user's access;
 * {@code null} (the default) for no periodic review
 * @param suspendUnreviewed whether a user whose review is overdue loses its SSH keys, as
 * at expiry
 * @param checkInterval how often the portal looks for expiries, retirements and overdue
 * reviews (one instance acts)
 */
@Validated
@ConfigurationProperties("portal.lifecycle")
public record LifecycleProperties(@Nullable Duration maxSshKeyAge, @DefaultValue("P7D") Duration rotationOverlap,
		@DefaultValue("P14D") Duration expiryWarning, @Nullable Duration reviewInterval,
		@DefaultValue("false") boolean suspendUnreviewed, @DefaultValue("1m") Duration checkInterval) {

	public LifecycleProperties {
		if (maxSshKeyAge != null && (maxSshKeyAge.isNegative() || maxSshKeyAge.isZero())) {
			throw new IllegalArgumentException("portal.lifecycle.max-ssh-key-age must be positive");
		}
		if (reviewInterval != null && (reviewInterval.isNegative() || reviewInterval.isZero())) {
			throw new IllegalArgumentException("portal.lifecycle.review-interval must be positive");
		}
		if (rotationOverlap.isNegative() || expiryWarning.isNegative()) {
			throw new IllegalArgumentException(
					"portal.lifecycle.rotation-overlap and expiry-warning must not be negative");
		}
		if (checkInterval.isNegative() || checkInterval.isZero()) {
			throw new IllegalArgumentException("portal.lifecycle.check-interval must be positive");
		}
	}

}
