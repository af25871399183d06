package io.transferportal.web;

import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The form that creates an API client (an integration calling the REST API with a bearer
 * token).
 *
 * @param name unique client name
 * @param scopes {@code requests:read} and/or {@code requests:write}
 * @param callbackSecret optional secret the portal signs status callbacks with
 */
record AdminApiClientForm(
		@NotBlank(message = "Enter a name") @Pattern(regexp = "[A-Za-z0-9._-]{3,100}",
				message = "A name has 3 to 100 letters, digits, '.', '_' or '-'") @Nullable String name,
		@NotEmpty(message = "Choose at least one scope") @Nullable Set<String> scopes,
		@Size(max = 200, message = "A callback secret has at most 200 characters") @Nullable String callbackSecret) {

	static AdminApiClientForm empty() {
		return new AdminApiClientForm(null, null, null);
	}

	public boolean hasScope(String scope) {
		return this.scopes != null && this.scopes.contains(scope);
	}

	/** A blank secret means none. */
	@Nullable String callbackSecretOrNull() {
		return (this.callbackSecret == null || this.callbackSecret.isBlank()) ? null : this.callbackSecret;
	}

}
