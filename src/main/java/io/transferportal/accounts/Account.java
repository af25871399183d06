package io.transferportal.accounts;

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
 * A person who signs in to the portal: name, password hash, roles, enabled state and an
 * optional personal API token. Failed sign-ins are not counted here but throttled in
 * memory ({@link LoginThrottle}), so they never lock an account or its token.
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

	@Column(name = "api_token_hash", length = 200)
	private @Nullable String apiTokenHash;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt;

	Account(String username, String passwordHash, Set<PortalRole> roles, Instant createdAt) {
		this.username = username;
		this.passwordHash = passwordHash;
		this.roles = join(roles);
		this.enabled = true;
		this.createdAt = createdAt;
	}

	protected Account() {
		// for JPA
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

	Instant getCreatedAt() {
		return this.createdAt;
	}

	AccountSummary toSummary(@Nullable Instant signInPausedUntil) {
		return new AccountSummary(this.username, getRoles(), this.enabled, signInPausedUntil);
	}

	private static String join(Set<PortalRole> roles) {
		// declaration order, so the same roles are always stored the same way
		return roles.stream().sorted().map(PortalRole::name).collect(Collectors.joining(","));
	}

}
