package io.transferportal.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * A person who signs in to the portal. The account owns its login rules: counting failed
 * sign-ins, locking itself for a while after too many, and forgetting the failures after
 * a successful sign-in.
 */
@Entity
@Table(name = "account")
class Account {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Column(name = "username", nullable = false, unique = true, length = 100, updatable = false)
	private String username;

	@Column(name = "password_hash", nullable = false, length = 200)
	private String passwordHash;

	// comma-separated role names; kept as a string so Hibernate's dirty checking sees
	// every change
	@Column(name = "roles", nullable = false, length = 200)
	private String roles;

	@Column(name = "enabled", nullable = false)
	private boolean enabled;

	@Column(name = "failed_attempts", nullable = false)
	private int failedAttempts;

	@Column(name = "locked_until")
	private @Nullable Instant lockedUntil;

	@Column(name = "api_token_hash", length = 200)
	private @Nullable String apiTokenHash;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt;

	Account(String username, String passwordHash, Set<PortalRole> roles, Instant createdAt) {
		this.username = username;
		this.passwordHash = passwordHash;
		this.roles = join(roles);
		this.enabled = true;
		this.failedAttempts = 0;
		this.createdAt = createdAt;
	}

	protected Account() {
		// for JPA
	}

	/**
	 * Counts a sign-in with a wrong password and locks the account for {@code lockout}
	 * once {@code maxAttempts} failures follow each other. A lock that has run out is
	 * forgotten first, so the user gets a fresh set of attempts. Failures while locked
	 * are not counted (the lock is checked before the password).
	 */
	void recordFailedLogin(Instant now, int maxAttempts, Duration lockout) {
		if (this.lockedUntil != null && !now.isBefore(this.lockedUntil)) {
			unlock();
		}
		if (isLocked(now)) {
			return;
		}
		this.failedAttempts++;
		if (this.failedAttempts >= maxAttempts) {
			this.lockedUntil = now.plus(lockout);
		}
	}

	/** A correct password: earlier failures no longer count towards a lock. */
	void recordSuccessfulLogin() {
		unlock();
	}

	boolean isLocked(Instant now) {
		return this.lockedUntil != null && now.isBefore(this.lockedUntil);
	}

	/**
	 * Lifts a lock and forgets the failed attempts (an administrator's decision, or a
	 * correct password).
	 */
	void unlock() {
		this.failedAttempts = 0;
		this.lockedUntil = null;
	}

	void changePassword(String passwordHash) {
		this.passwordHash = passwordHash;
	}

	void assignApiTokenHash(@Nullable String apiTokenHash) {
		this.apiTokenHash = apiTokenHash;
	}

	void disable() {
		this.enabled = false;
	}

	void enable() {
		this.enabled = true;
	}

	@Nullable Long getId() {
		return this.id;
	}

	String getUsername() {
		return this.username;
	}

	String getPasswordHash() {
		return this.passwordHash;
	}

	Set<PortalRole> getRoles() {
		if (this.roles.isBlank()) {
			return Set.of();
		}
		return Collections.unmodifiableSet(Arrays.stream(this.roles.split(","))
			.map(String::trim)
			.map(PortalRole::valueOf)
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(PortalRole.class))));
	}

	void setRoles(Set<PortalRole> roles) {
		this.roles = join(roles);
	}

	boolean isEnabled() {
		return this.enabled;
	}

	int getFailedAttempts() {
		return this.failedAttempts;
	}

	@Nullable Instant getLockedUntil() {
		return this.lockedUntil;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	AccountSummary toSummary(Instant now) {
		return new AccountSummary(this.username, getRoles(), this.enabled, isLocked(now));
	}

	private static String join(Set<PortalRole> roles) {
		// declaration order, so the same roles are always stored the same way
		return roles.stream().sorted().map(PortalRole::name).collect(Collectors.joining(","));
	}

}
