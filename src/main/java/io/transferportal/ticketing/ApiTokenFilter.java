package io.transferportal.ticketing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.AccountSummary;

/**
 * Authenticates {@code Authorization: Bearer <token>} against API clients and personal
 * tokens, then applies the caller's rate limit and the body size limit. An invalid token
 * is a 401 at once; a missing one is left to the entry point (also 401).
 */
class ApiTokenFilter extends OncePerRequestFilter {

	private final ApiClientManagement clients;

	private final AccountManagement accounts;

	private final ApiProperties properties;

	private final TimeMeter time;

	private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

	ApiTokenFilter(ApiClientManagement clients, AccountManagement accounts, ApiProperties properties, Clock clock) {
		this.clients = clients;
		this.accounts = accounts;
		this.properties = properties;
		this.time = new ClockTimeMeter(clock);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			chain.doFilter(request, response);
			return;
		}
		Optional<ApiCaller> caller = resolve(header.substring(7).strip());
		if (caller.isEmpty()) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
			ApiProblems.write(response, ApiProblems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated",
					"Unauthenticated", "The bearer token is not valid, or it was revoked."));
			return;
		}
		ConsumptionProbe probe = this.buckets.computeIfAbsent(caller.get().getName(), (name) -> newBucket())
			.tryConsumeAndReturnRemaining(1);
		if (!probe.isConsumed()) {
			long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
			response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
			ApiProblems.write(response,
					ApiProblems.problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
							"This token may make " + this.properties.requestsPerMinute()
									+ " calls per minute; retry after " + seconds + " s."));
			return;
		}
		if (request.getContentLengthLong() > this.properties.maxBodySize().toBytes()) {
			ApiProblems.write(response,
					ApiProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
							"Request bodies are limited to " + this.properties.maxBodySize().toKilobytes() + " KB."));
			return;
		}
		SecurityContextHolder.getContext().setAuthentication(caller.get());
		chain.doFilter(new LimitedBodyRequest(request, this.properties.maxBodySize().toBytes()), response);
	}

	private Optional<ApiCaller> resolve(String token) {
		if (token.isEmpty() || token.length() > 512) {
			return Optional.empty();
		}
		Optional<ApiCaller> client = this.clients.findByToken(token).map((c) -> ApiCaller.client(c.name(), c.scopes()));
		if (client.isPresent()) {
			return client;
		}
		return this.accounts.findByApiToken(token)
			.filter((account) -> account.enabled() && !account.locked())
			.map((AccountSummary account) -> ApiCaller.person(account.username(), account.roles()));
	}

	private Bucket newBucket() {
		int perMinute = this.properties.requestsPerMinute();
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
			.withCustomTimePrecision(this.time)
			.build();
	}

	/** The refill follows the application's {@link Clock}, like every other time rule. */
	private record ClockTimeMeter(Clock clock) implements TimeMeter {

		@Override
		public long currentTimeNanos() {
			Instant now = this.clock.instant();
			return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
		}

		@Override
		public boolean isWallClockBased() {
			return true;
		}

	}

}
