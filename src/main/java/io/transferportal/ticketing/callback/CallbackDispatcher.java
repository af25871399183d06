package io.transferportal.ticketing.callback;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.provisioning.Connection;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;
import io.transferportal.requests.RequestEvents.UserLifecycleChanged;
import io.transferportal.requests.RequestStatus;

/**
 * Turns every status change of a request with a callback URL, and every lifecycle event
 * of a user whose requester asked for callbacks, into a stored delivery, which
 * {@link CallbackSender} then sends. Runs after the change commits, from the event
 * publication registry, so a change is not lost with the instance; the registry may hand
 * the same event over again, so the event id is derived from the change and a second
 * delivery for it is never stored.
 */
@Component
class CallbackDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(CallbackDispatcher.class);

	/**
	 * A mapper of its own: the signed body must not change with the application's JSON
	 * settings.
	 */
	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final CallbackDeliveries deliveries;

	private final AccessRequestManagement requests;

	private final TransactionTemplate newTransaction;

	private final Clock clock;

	CallbackDispatcher(CallbackDeliveries deliveries, AccessRequestManagement requests,
			PlatformTransactionManager transactions, Clock clock) {
		this.deliveries = deliveries;
		this.requests = requests;
		this.newTransaction = new TransactionTemplate(transactions);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock;
	}

	@ApplicationModuleListener
	void on(AccessRequestStatusChanged event) {
		this.deliveries.findTarget(event.requestId()).ifPresent((target) -> {
			String eventId = eventId(event);
			// an active user's requester is told how to connect (one AWS read)
			Connection connection = (event.status() == RequestStatus.ACTIVE && target.callbackUrl() != null)
					? this.requests.connection(event.serverId(), event.userName()).orElse(null) : null;
			String payload = MAPPER
				.writeValueAsString(new CallbackPayload(eventId, event.requestId(), target.ticketRef(),
						event.status().name(), (event.previousStatus() != null) ? event.previousStatus().name() : null,
						event.occurredAt(), event.summary(), connection));
			store(eventId, event.requestId(), target.callbackUrl(), payload);
		});
	}

	/**
	 * A user's access is about to expire, expired, was suspended, or lost the keys a
	 * rotation replaced: the newest of the user's requests that asked for callbacks is
	 * told, with the event as its {@code status}.
	 */
	@ApplicationModuleListener
	void on(UserLifecycleChanged event) {
		this.deliveries.findNewestTarget(this.requests.requestIds(event.serverId(), event.userName()))
			.ifPresent((found) -> {
				String name = "lifecycle:" + event.serverId() + "/" + event.userName() + ":" + event.event() + ":"
						+ event.occurredAt();
				String eventId = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
				String payload = MAPPER
					.writeValueAsString(new CallbackPayload(eventId, found.requestId(), found.target().ticketRef(),
							event.event().name(), null, event.occurredAt(), event.summary(), null));
				store(eventId, found.requestId(), found.target().callbackUrl(), payload);
			});
	}

	private void store(String eventId, long requestId, @Nullable String url, String payload) {
		if (url == null) {
			return;
		}
		// its own transaction: on PostgreSQL a failed insert would abort the listener's
		// transaction
		try {
			Boolean created = this.newTransaction
				.execute((status) -> this.deliveries.create(eventId, requestId, url, payload, this.clock.instant()));
			if (Boolean.TRUE.equals(created)) {
				logger.debug("Callback {} of request {} stored", eventId, requestId);
			}
		}
		catch (DuplicateKeyException ex) {
			// the same event handed over twice at the same moment: stored once, which is
			// all we want
		}
	}

	/**
	 * The same for every hand-over of one status change, and different for every change.
	 */
	static String eventId(AccessRequestStatusChanged event) {
		String name = "callback:" + event.requestId() + ":" + event.previousStatus() + ":" + event.status() + ":"
				+ event.occurredAt();
		return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * The callback body. {@code ticketRef} is the one the request was submitted with
	 * through the API; {@code previousStatus} is null for the submission itself;
	 * {@code connection} (host, host key fingerprints, user, home folder, sftp command)
	 * is there when the user became ACTIVE.
	 */
	record CallbackPayload(String eventId, long requestId, String ticketRef, String status,
			@Nullable String previousStatus, Instant occurredAt, String summary, @Nullable Connection connection) {
	}

}
