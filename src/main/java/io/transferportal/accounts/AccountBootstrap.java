package io.transferportal.accounts;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the configured accounts at start-up, before the portal reports itself ready.
 * Existing accounts are left alone. Logs user names and roles only, never passwords or
 * tokens.
 */
@Component
class AccountBootstrap implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(AccountBootstrap.class);

	private final BootstrapProperties properties;

	private final AccountManagement accounts;

	AccountBootstrap(BootstrapProperties properties, AccountManagement accounts) {
		this.properties = properties;
		this.accounts = accounts;
	}

	@Override
	public void run(ApplicationArguments args) {
		for (BootstrapProperties.Account account : this.properties.accounts()) {
			Set<PortalRole> roles = roles(account);
			boolean created;
			try {
				created = this.accounts.ensureExists(account.username(), account.password(), roles, account.apiToken());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"Cannot create the start-up account '" + account.username() + "': " + ex.getMessage(), ex);
			}
			if (created) {
				logger.info("Created account {} with roles {}", account.username(), roles);
			}
			else {
				logger.info("Account {} exists already; left unchanged", account.username());
			}
		}
	}

	private static Set<PortalRole> roles(BootstrapProperties.Account account) {
		try {
			return Arrays.stream(account.roles().split(","))
				.map(String::trim)
				.filter((role) -> !role.isEmpty())
				.map((role) -> PortalRole.valueOf(role.toUpperCase(Locale.ROOT)))
				.collect(Collectors.toCollection(() -> EnumSet.noneOf(PortalRole.class)));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Start-up account '" + account.username() + "' has unknown roles '"
					+ account.roles() + "'; use " + Arrays.toString(PortalRole.values()), ex);
		}
	}

}
