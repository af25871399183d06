package io.transferportal.accounts;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads accounts for Spring Security's password check. A disabled account is refused with
 * the same answer as a wrong password; throttling happens before this is called
 * ({@link LoginThrottleFilter}).
 */
@Service
class PortalUserDetailsService implements UserDetailsService {

	private final AccountRepository accounts;

	PortalUserDetailsService(AccountRepository accounts) {
		this.accounts = accounts;
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
			.disabled(!account.isEnabled())
			.build();
	}

}
