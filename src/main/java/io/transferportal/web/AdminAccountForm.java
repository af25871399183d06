package io.transferportal.web;

import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.accounts.PortalRole;

/**
 * The form that creates an account. The accounts module checks the same rules again (and
 * whether the name is taken); this only gives the administrator the messages next to the
 * fields.
 *
 * @param username sign-in name
 * @param password first password
 * @param roles at least one role
 */
record AdminAccountForm(@NotBlank(message = "Enter a user name") @Pattern(regexp = "[A-Za-z0-9._@-]{3,100}",
		message = "A user name has 3 to 100 characters: letters, digits, '.', '_', '@' and '-'") @Nullable String username,
		@NotBlank(message = "Enter a password") @Size(min = 8, max = 72,
				message = "A password has 8 to 72 characters") @Nullable String password,
		@NotEmpty(message = "Choose at least one role") @Nullable Set<PortalRole> roles) {

	static AdminAccountForm empty() {
		return new AdminAccountForm(null, null, null);
	}

	public boolean hasRole(PortalRole role) {
		return this.roles != null && this.roles.contains(role);
	}

}
