package io.transferportal.accounts;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Accounts created at start-up when they do not exist yet, so a new installation has
 * someone who can sign in.
 *
 * @param accounts the accounts to create; none by default
 */
@Validated
@ConfigurationProperties("portal.bootstrap")
record BootstrapProperties(@DefaultValue @Valid List<Account> accounts) {

	/**
	 * One account to create.
	 *
	 * @param username the sign-in name
	 * @param password the first password (an administrator can reset it later; a restart
	 * does not bring it back)
	 * @param roles comma-separated {@link PortalRole} names, such as
	 * {@code REQUESTER,APPROVER}
	 * @param apiToken an optional personal API token (at least 32 random characters)
	 */
	record Account(@NotBlank String username, @NotBlank String password, @NotBlank String roles,
			@Nullable String apiToken) {

		@Override
		public String toString() {
			// keeps the password and token out of logs and failure analyses
			return "Account[username=" + this.username + ", roles=" + this.roles + "]";
		}

	}

}
