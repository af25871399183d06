package io.transferportal.accounts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and maintains portal accounts: the accounts module's API.
 * <p>
 * Passwords are stored only as {@link PasswordEncoder} hashes. Personal API tokens are
 * stored as their SHA-256 (they are long random values, not something a person chose), so
 * a presented token can be looked up by its hash. Invalid input is rejected with an
 * {@link IllegalArgumentException} whose message can be shown to an administrator.
 */
@Service
public class AccountManagement {

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,100}");

	static final int MIN_PASSWORD_LENGTH = 8;

	// BCrypt ignores everything after 72 bytes, and Spring Security refuses to hash
	// longer passwords
	static final int MAX_PASSWORD_BYTES = 72;

	// an unsalted SHA-256 is only safe for long random tokens
	static final int MIN_API_TOKEN_LENGTH = 32;

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final LoginThrottle throttle;

	private final Clock clock;

	AccountManagement(AccountRepository accounts, PasswordEncoder passwordEncoder, LoginThrottle throttle,
			Clock clock) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.throttle = throttle;
		this.clock = clock;
	}

	/**
	 * Creates an enabled account.
	 * @throws IllegalArgumentException if the user name, password or roles are not
	 * acceptable, or an account with the same name (ignoring case) exists
	 */
	@Transactional
	public AccountSummary create(String username, String rawPassword, Set<PortalRole> roles) {
		return save(newAccount(username, rawPassword, roles, null));
	}

	/**
	 * Creates the account unless one with that name (ignoring case) exists; an existing
	 * account is never changed, so a password an administrator has reset survives every
	 * restart. Used for the accounts configured at start-up.
	 * @return {@code true} if the account was created
	 * @throws IllegalArgumentException if the account is missing and the input is not
	 * acceptable
	 */
	@Transactional
	public boolean ensureExists(String username, String rawPassword, Set<PortalRole> roles,
			@Nullable String rawApiToken) {
		if (this.accounts.existsByUsernameIgnoreCase(username)) {
			return false;
		}
		save(newAccount(username, rawPassword, roles, rawApiToken));
		return true;
	}

	/**
	 * Allows or refuses an account's sign-in. A session that is already open ends at its
	 * next request ({@link CurrentAccountFilter}).
	 * @throws IllegalArgumentException if there is no such account
	 */
	@Transactional
	public void setEnabled(String username, boolean enabled) {
		Account account = existing(username);
		if (enabled) {
			account.enable();
		}
		else {
			account.disable();
		}
	}

	/**
	 * Sets a new password and gives the name its sign-in attempts back (on this
	 * instance), as an administrator does for a user who forgot theirs.
	 * @throws IllegalArgumentException if there is no such account or the password is not
	 * acceptable
	 */
	@Transactional
	public void resetPassword(String username, String rawPassword) {
		Account account = existing(username);
		checkPassword(rawPassword);
		account.changePassword(this.passwordEncoder.encode(rawPassword));
		this.throttle.forget(account.getUsername());
	}

	/**
	 * Replaces an account's roles. A session that is already open gets the new roles at
	 * its next request ({@link CurrentAccountFilter}).
	 * @throws IllegalArgumentException if there is no such account or no role is given
	 */
	@Transactional
	public AccountSummary setRoles(String username, Set<PortalRole> roles) {
		if (roles.isEmpty()) {
			throw new IllegalArgumentException("An account needs at least one role");
		}
		Account account = existing(username);
		account.setRoles(roles);
		return summary(account);
	}

	/** Every account, ordered by user name. */
	@Transactional(readOnly = true)
	public List<AccountSummary> list() {
		return this.accounts.findAllByOrderByUsernameAsc().stream().map(this::summary).toList();
	}

	/**
	 * The account as it is stored now (roles, enabled), for callers that decide what
	 * someone may do at the moment they do it rather than at sign-in.
	 */
	@Transactional(readOnly = true)
	public Optional<AccountSummary> current(String username) {
		return this.accounts.findByUsername(username).map(this::summary);
	}

	/**
	 * The account a personal API token belongs to. The caller decides what a disabled
	 * account may do.
	 */
	@Transactional(readOnly = true)
	public Optional<AccountSummary> findByApiToken(String rawToken) {
		if (rawToken.isBlank()) {
			return Optional.empty();
		}
		return this.accounts.findByApiTokenHash(DigestUtils.sha256Hex(rawToken)).map(this::summary);
	}

	private Account newAccount(String username, String rawPassword, Set<PortalRole> roles,
			@Nullable String rawApiToken) {
		if (!USERNAME.matcher(username).matches()) {
			throw new IllegalArgumentException(
					"A user name has 3 to 100 characters: letters, digits, '.', '_', '@' and '-'");
		}
		checkPassword(rawPassword);
		if (roles.isEmpty()) {
			throw new IllegalArgumentException("An account needs at least one role");
		}
		if (rawApiToken != null && rawApiToken.length() < MIN_API_TOKEN_LENGTH) {
			throw new IllegalArgumentException(
					"An API token needs at least " + MIN_API_TOKEN_LENGTH + " random characters");
		}
		// case-insensitive, so that "Alice" cannot pose as "alice"
		if (this.accounts.existsByUsernameIgnoreCase(username)) {
			throw new IllegalArgumentException("An account named '" + username + "' already exists");
		}
		Account account = new Account(username, this.passwordEncoder.encode(rawPassword), roles, this.clock.instant());
		if (rawApiToken != null) {
			account.assignApiTokenHash(DigestUtils.sha256Hex(rawApiToken));
		}
		return account;
	}

	private AccountSummary save(Account account) {
		return summary(this.accounts.save(account));
	}

	private AccountSummary summary(Account account) {
		return account.toSummary(this.throttle.pausedUntil(account.getUsername()).orElse(null));
	}

	private Account existing(String username) {
		return this.accounts.findByUsername(username)
			.orElseThrow(() -> new IllegalArgumentException("There is no account named '" + username + "'"));
	}

	private static void checkPassword(String rawPassword) {
		if (rawPassword.length() < MIN_PASSWORD_LENGTH) {
			throw new IllegalArgumentException("A password needs at least " + MIN_PASSWORD_LENGTH + " characters");
		}
		if (rawPassword.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			throw new IllegalArgumentException("A password may have at most " + MAX_PASSWORD_BYTES + " bytes");
		}
	}

}
