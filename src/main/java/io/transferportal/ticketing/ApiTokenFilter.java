package io.transferportal.ticketing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import io.transferportal.ClockTimeMeter;
import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.AccountSummary;

/**
 * Authenticates {@code Authorization: Bearer <token>} against API clients and personal
 * tokens, then applies the caller's rate limit and the body size limit. An invalid token
 * is a 401 at once; a missing one is left to the entry point (also 401).
 */
class ApiTokenFilter extends OncePerRequestFilter {

	private static final String BATCHES = "/api/v1/request-batches";

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
		// a batch's reads have a budget of their own, so polling hundreds of users is
		// cheap
		boolean batchRead = isBatchRead(request);
		int perMinute = batchRead ? this.properties.batchReadsPerMinute() : this.properties.requestsPerMinute();
		ConsumptionProbe probe = this.buckets
			.computeIfAbsent((batchRead ? "batch-read:" : "") + caller.get().getName(), (name) -> newBucket(perMinute))
			.tryConsumeAndReturnRemaining(1);
		if (!probe.isConsumed()) {
			long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
			response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
			ApiProblems.write(response,
					ApiProblems.problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
							"This token may make " + perMinute + (batchRead ? " reads of batches" : " calls")
									+ " per minute; retry after " + seconds + " s."));
			return;
		}
		DataSize maxBody = isBatchSubmission(request) ? this.properties.maxBatchBodySize()
				: this.properties.maxBodySize();
		if (request.getContentLengthLong() > maxBody.toBytes()) {
			ApiProblems.write(response, ApiProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
					"Payload too large", "Request bodies are limited to " + maxBody.toKilobytes() + " KB."));
			return;
		}
		SecurityContextHolder.getContext().setAuthentication(caller.get());
		chain.doFilter(new LimitedBodyRequest(request, maxBody.toBytes()), response);
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
			// a paused sign-in (wrong passwords typed by anyone) never cuts off the token
			.filter(AccountSummary::enabled)
			.map((AccountSummary account) -> ApiCaller.person(account.username(), account.roles()));
	}

	private static boolean isBatchRead(HttpServletRequest request) {
		return "GET".equals(request.getMethod()) && path(request).startsWith(BATCHES);
	}

	private static boolean isBatchSubmission(HttpServletRequest request) {
		return "POST".equals(request.getMethod()) && path(request).equals(BATCHES);
	}

	private static String path(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

	private Bucket newBucket(int perMinute) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
			.withCustomTimePrecision(this.time)
			.build();
	}

}
