package io.transferportal.accounts;

import java.time.Clock;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads accounts for Spring Security's password check. A locked or disabled account is
 * refused before its password is compared, so guessing on a locked account gains nothing.
 */
@Service
class PortalUserDetailsService implements UserDetailsService {

	private final AccountRepository accounts;

	private final Clock clock;

	PortalUserDetailsService(AccountRepository accounts, Clock clock) {
		this.accounts = accounts;
		this.clock = clock;
	}

	@Override
	@Transactional(readOnly = true)
	public UserDetails loadUserByUsername(String username) {
		Account account = this.accounts.findByUsername(username)
			// Spring Security turns this into the same "bad credentials" as a wrong
			// password
			.orElseThrow(() -> new UsernameNotFoundException("No such account"));
		return User.withUsername(account.getUsername())
			.password(account.getPasswordHash())
			.authorities(account.getRoles().stream().map(PortalRole::authority).toArray(String[]::new))
			.accountLocked(account.isLocked(this.clock.instant()))
			.disabled(!account.isEnabled())
			.build();
	}

}
