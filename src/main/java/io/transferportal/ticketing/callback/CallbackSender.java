package io.transferportal.ticketing.callback;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.ticketing.callback.CallbackDeliveries.Due;

/**
 * Sends due deliveries: claims each one (so of several instances exactly one sends an
 * attempt), checks the URL against the allowed hosts again, signs and POSTs the stored
 * body outside any transaction, and records the attempt. A 2xx answer delivers it;
 * anything else is retried with exponential backoff until {@code max-attempts}.
 * <p>
 * Receivers should de-duplicate on {@code X-Portal-Event-Id}: an instance that dies
 * between sending and recording leaves the attempt to be repeated once its claim has run
 * out.
 */
@Component
class CallbackSender {

	private static final Logger logger = LoggerFactory.getLogger(CallbackSender.class);

	static final int BATCH = 50;

	static final String USER_AGENT = "transfer-portal-callbacks";

	private final CallbackDeliveries deliveries;

	private final CallbackUrls urls;

	private final CallbackProperties properties;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final HttpClient http;

	private final MeterRegistry meters;

	CallbackSender(CallbackDeliveries deliveries, CallbackUrls urls, CallbackProperties properties,
			PlatformTransactionManager transactions, Clock clock, MeterRegistry meters) {
		this.deliveries = deliveries;
		this.urls = urls;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
		this.meters = meters;
		// redirects are not followed: a redirect could lead anywhere, past the allowed
		// hosts
		this.http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(properties.timeout())
			.build();
	}

	@Scheduled(fixedDelayString = "${portal.callbacks.send-interval:1s}")
	void sendDue() {
		for (Due delivery : this.deliveries.findDue(this.clock.instant(), BATCH)) {
			if (Thread.currentThread().isInterrupted()) {
				return;
			}
			Instant now = this.clock.instant();
			if (this.deliveries.claim(delivery.id(), now, now.plus(claimDuration()))) {
				send(delivery);
			}
		}
	}

	/** One attempt of a claimed delivery. */
	void send(Due delivery) {
		Optional<String> problem = this.urls.problem(delivery.url());
		if (problem.isPresent()) {
			// the settings changed since the request was accepted: no call, and no point
			// retrying
			logger.warn("Callback {} to {} not sent: {}", delivery.eventId(), delivery.url(), problem.get());
			record(delivery, null, "Not sent: URL " + problem.get(), true);
			return;
		}
		byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(delivery.url()))
			.timeout(this.properties.timeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", USER_AGENT)
			.header("X-Portal-Event-Id", delivery.eventId())
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		// a client without a callback secret gets unsigned callbacks (no signature header
		// at all)
		this.deliveries.findSecret(delivery.requestId())
			.ifPresent((secret) -> request.header(CallbackSignature.HEADER, CallbackSignature.sign(body, secret)));
		try {
			int status = this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
			record(delivery, status, null, false);
		}
		catch (IOException | RuntimeException ex) {
			record(delivery, null, describe(ex), false);
		}
		catch (InterruptedException ex) {
			// shutting down: the claim runs out and another attempt follows
			Thread.currentThread().interrupt();
		}
	}

	private void record(Due delivery, @Nullable Integer status, @Nullable String error, boolean giveUp) {
		int attempts = delivery.attempts() + 1;
		boolean delivered = status != null && status >= 200 && status < 300;
		boolean failed = !delivered && (giveUp || attempts >= this.properties.maxAttempts());
		this.transaction.executeWithoutResult((tx) -> {
			Instant now = this.clock.instant();
			this.deliveries.recordAttempt(delivery.id(), now, status, error);
			if (delivered) {
				this.deliveries.markDelivered(delivery.id(), attempts, now);
			}
			else if (failed) {
				logger.warn("Callback {} to {} failed after {} attempt(s)", delivery.eventId(), delivery.url(),
						attempts);
				this.deliveries.markFailed(delivery.id(), attempts);
			}
			else {
				this.deliveries.markRetry(delivery.id(), attempts, now.plus(this.properties.backoff(attempts)));
			}
		});
		// an attempt delivered, to be tried again, or given up on
		String outcome = delivered ? "delivered" : (failed ? "failed" : "retry");
		Counter.builder("portal.callbacks.attempts")
			.description("Callback delivery attempts by outcome")
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	/**
	 * Long enough for the connect and the request timeout of one attempt, with room to
	 * record it.
	 */
	private Duration claimDuration() {
		return this.properties.timeout().multipliedBy(2).plusSeconds(30);
	}

	/**
	 * Why a delivery got no answer, in words: never a class name or a stack trace (the
	 * delivery's record is shown to API clients).
	 */
	static String describe(Exception ex) {
		if (ex instanceof HttpTimeoutException) {
			return "no answer within the timeout";
		}
		if (ex instanceof ConnectException) {
			return "could not connect" + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
		}
		String message = ex.getMessage();
		return "delivery failed" + ((message != null && !message.isBlank()) ? ": " + message : "");
	}

}
