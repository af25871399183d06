package io.transferportal.ticketing;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists and revokes API clients. A token is shown once, at creation, and stored
 * only as a hash.
 */
@Service
public class ApiClientManagement {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final ApiClientRepository clients;

	private final Clock clock;

	ApiClientManagement(ApiClientRepository clients, Clock clock) {
		this.clients = clients;
		this.clock = clock;
	}

	/** Creates a client with a new random token; the returned token is the only copy. */
	@Transactional
	public String create(String name, Set<String> scopes, @Nullable String callbackSecret) {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		String token = "tp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		register(name, token, scopes, callbackSecret);
		return token;
	}

	/**
	 * Creates a client with a token given in configuration, if no client of that name
	 * exists.
	 */
	@Transactional
	public void ensureExists(String name, String token, Set<String> scopes, @Nullable String callbackSecret) {
		if (this.clients.findByName(name).isEmpty()) {
			register(name, token, scopes, callbackSecret);
		}
	}

	@Transactional
	public void revoke(String name) {
		this.clients.findByName(name).ifPresent(ApiClient::revoke);
	}

	@Transactional(readOnly = true)
	public List<ApiClientSummary> list() {
		return this.clients.findAllByOrderByName()
			.stream()
			.map((c) -> new ApiClientSummary(c.getName(), c.getScopes(), c.isEnabled(), c.getCreatedAt()))
			.toList();
	}

	/** The enabled client owning this token, if any. */
	@Transactional(readOnly = true)
	public Optional<ApiClientSummary> findByToken(String token) {
		return this.clients.findByTokenHash(hash(token))
			.filter(ApiClient::isEnabled)
			.map((c) -> new ApiClientSummary(c.getName(), c.getScopes(), c.isEnabled(), c.getCreatedAt()));
	}

	private void register(String name, String token, Set<String> scopes, @Nullable String callbackSecret) {
		if (!name.matches("[A-Za-z0-9._-]{3,100}")) {
			throw new IllegalArgumentException("API client names are 3 to 100 letters, digits, '.', '_' or '-'");
		}
		if (token.length() < 32) {
			throw new IllegalArgumentException("API tokens must be at least 32 characters long");
		}
		if (scopes.isEmpty() || !ApiScopes.ALL.containsAll(scopes)) {
			throw new IllegalArgumentException("Scopes must be some of " + ApiScopes.ALL);
		}
		this.clients.save(new ApiClient(name, hash(token), scopes, callbackSecret, this.clock.instant()));
	}

	/**
	 * SHA-256 is enough for long random tokens (unlike passwords, they cannot be guessed
	 * from a dictionary).
	 */
	static String hash(String token) {
		return DigestUtils.sha256Hex(token);
	}

}
