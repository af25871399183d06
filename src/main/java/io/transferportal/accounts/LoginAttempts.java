package io.transferportal.accounts;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts wrong passwords and locks accounts, from the authentication events Spring
 * Security publishes. Sign-ins with unknown user names change nothing, so they cannot
 * fill the database or reveal which names exist.
 */
@Component
class LoginAttempts {

	private static final Logger logger = LoggerFactory.getLogger(LoginAttempts.class);

	private final AccountRepository accounts;

	private final SecurityProperties properties;

	private final Clock clock;

	LoginAttempts(AccountRepository accounts, SecurityProperties properties, Clock clock) {
		this.accounts = accounts;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener
	@Transactional
	void on(AuthenticationFailureBadCredentialsEvent event) {
		Instant now = this.clock.instant();
		this.accounts.findForUpdateByUsername(event.getAuthentication().getName()).ifPresent((account) -> {
			boolean wasLocked = account.isLocked(now);
			account.recordFailedLogin(now, this.properties.maxFailedLogins(), this.properties.lockoutDuration());
			if (!wasLocked && account.isLocked(now)) {
				logger.warn("Account {} locked until {} after {} failed sign-ins", account.getUsername(),
						account.getLockedUntil(), account.getFailedAttempts());
			}
		});
	}

	@EventListener
	@Transactional
	void on(AuthenticationSuccessEvent event) {
		this.accounts.findForUpdateByUsername(event.getAuthentication().getName())
			.filter((account) -> account.getFailedAttempts() > 0 || account.getLockedUntil() != null)
			.ifPresent(Account::recordSuccessfulLogin);
	}

}
