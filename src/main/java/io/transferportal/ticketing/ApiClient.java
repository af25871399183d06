package io.transferportal.ticketing;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * An integration allowed to call the API with a bearer token (stored hashed) and the
 * given scopes.
 */
@Entity
@Table(name = "api_client")
class ApiClient {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String name;

	private String tokenHash;

	private String scopes;

	private @Nullable String callbackSecret;

	private boolean enabled;

	private Instant createdAt;

	protected ApiClient() {
		this.name = "";
		this.tokenHash = "";
		this.scopes = "";
		this.createdAt = Instant.EPOCH;
	}

	ApiClient(String name, String tokenHash, Set<String> scopes, @Nullable String callbackSecret, Instant now) {
		this.name = name;
		this.tokenHash = tokenHash;
		this.scopes = String.join(",", scopes.stream().sorted().toList());
		this.callbackSecret = callbackSecret;
		this.enabled = true;
		this.createdAt = now;
	}

	void revoke() {
		this.enabled = false;
	}

	String getName() {
		return this.name;
	}

	Set<String> getScopes() {
		return Arrays.stream(this.scopes.split(","))
			.map(String::strip)
			.filter((s) -> !s.isEmpty())
			.collect(Collectors.toSet());
	}

	boolean isEnabled() {
		return this.enabled;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

}
