package io.transferportal.accounts;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Accounts and API clients created at start-up when they do not exist yet, so a new
 * installation has someone who can sign in and integrations that can call the API. One
 * record for the whole {@code portal.bootstrap} prefix, validated when the portal starts
 * (the ticketing module reads {@link #apiClients()}).
 *
 * @param accounts the accounts to create; none by default
 * @param apiClients the REST API clients to create; none by default
 */
@Validated
@ConfigurationProperties("portal.bootstrap")
public record BootstrapProperties(@DefaultValue @Valid List<Account> accounts,
		@DefaultValue @Valid List<ApiClient> apiClients) {

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
	public record Account(@NotBlank String username, @NotBlank String password, @NotBlank String roles,
			@Nullable String apiToken) {

		@Override
		public String toString() {
			// keeps the password and token out of logs and failure analyses
			return "Account[username=" + this.username + ", roles=" + this.roles + "]";
		}

	}

	/**
	 * One API client (an integration such as a ticketing system) to create.
	 *
	 * @param name the client's name, shown in the audit trail as {@code api:<name>}
	 * @param token its bearer token (at least 32 random characters)
	 * @param scopes comma-separated scopes, {@code requests:read,requests:write} by
	 * default
	 * @param callbackSecret an optional secret that signs the status callbacks sent to it
	 */
	public record ApiClient(@NotBlank String name, @NotBlank String token,
			@DefaultValue("requests:read,requests:write") @NotBlank String scopes, @Nullable String callbackSecret) {

		@Override
		public String toString() {
			// keeps the token and the secret out of logs and failure analyses
			return "ApiClient[name=" + this.name + ", scopes=" + this.scopes + "]";
		}

	}

}
