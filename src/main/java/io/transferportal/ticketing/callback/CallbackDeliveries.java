package io.transferportal.ticketing.callback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code callback_delivery} and {@code callback_attempt} tables, and the two reads of
 * the ticketing API's tables that callbacks need, in plain SQL: this package does not
 * depend on the API's entities. Instants are bound as UTC {@link OffsetDateTime}s, which
 * H2 and PostgreSQL both accept for {@code timestamp with time zone}.
 */
@Repository
class CallbackDeliveries {

	static final String PENDING = "PENDING";

	static final String DELIVERED = "DELIVERED";

	static final String FAILED = "FAILED";

	static final int MAX_ERROR = 500;

	private final JdbcClient jdbc;

	CallbackDeliveries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Where callbacks of a request go, if it came in through the API with a callback URL.
	 */
	Optional<Target> findTarget(long requestId) {
		return this.jdbc.sql("select s.ticket_ref, s.callback_url from ticket_submission s where s.request_id = ?")
			.param(requestId)
			.query((rs, row) -> new Target(rs.getString("ticket_ref"), rs.getString("callback_url")))
			.optional()
			.filter((target) -> target.callbackUrl() != null);
	}

	/**
	 * The newest of these requests that came in through the API with a callback URL, and
	 * where its callbacks go (one query).
	 */
	Optional<NewestTarget> findNewestTarget(List<Long> requestIds) {
		if (requestIds.isEmpty()) {
			return Optional.empty();
		}
		return this.jdbc
			.sql("select s.request_id, s.ticket_ref, s.callback_url from ticket_submission s "
					+ "where s.request_id in (:ids) and s.callback_url is not null "
					+ "order by s.request_id desc fetch first 1 rows only")
			.param("ids", requestIds)
			.query((rs, row) -> new NewestTarget(rs.getLong("request_id"),
					new Target(rs.getString("ticket_ref"), rs.getString("callback_url"))))
			.optional();
	}

	/**
	 * The callback secret of the client that submitted the request; empty if it has none.
	 */
	Optional<String> findSecret(long requestId) {
		return this.jdbc
			.sql("select c.callback_secret from ticket_submission s join api_client c on c.name = s.client "
					+ "where s.request_id = ?")
			.param(requestId)
			.query((rs, row) -> Optional.ofNullable(rs.getString(1)))
			.optional()
			.flatMap((secret) -> secret)
			.filter((secret) -> !secret.isEmpty());
	}

	/**
	 * Stores a new pending delivery unless one with this event id exists; true if this
	 * call stored it.
	 */
	boolean create(String eventId, long requestId, String url, String payload, Instant now) {
		return this.jdbc
			.sql("""
					insert into callback_delivery (event_id, request_id, url, payload, status, attempts, next_attempt_at, created_at)
					select :eventId, :requestId, :url, :payload, :status, 0, :now, :now
					where not exists (select 1 from callback_delivery where event_id = :eventId)""")
			.param("eventId", eventId)
			.param("requestId", requestId)
			.param("url", url)
			.param("payload", payload)
			.param("status", PENDING)
			.param("now", utc(now))
			.update() == 1;
	}

	/** Pending deliveries whose next attempt is due, oldest first. */
	List<Due> findDue(Instant now, int limit) {
		return this.jdbc.sql("""
				select id, event_id, request_id, url, payload, attempts from callback_delivery
				where status = :status and next_attempt_at <= :now
				order by next_attempt_at, id
				fetch first :limit rows only""")
			.param("status", PENDING)
			.param("now", utc(now))
			.param("limit", limit)
			.query((rs, row) -> new Due(rs.getLong("id"), rs.getString("event_id"), rs.getLong("request_id"),
					rs.getString("url"), rs.getString("payload"), rs.getInt("attempts")))
			.list();
	}

	/**
	 * Takes a due delivery for one attempt by moving its next attempt to
	 * {@code leaseUntil}: of several instances only one sees it still due. Should the
	 * instance die while sending, the delivery is due again at the lease end.
	 */
	boolean claim(long id, Instant now, Instant leaseUntil) {
		return this.jdbc.sql("""
				update callback_delivery set next_attempt_at = :leaseUntil
				where id = :id and status = :status and next_attempt_at <= :now""")
			.param("leaseUntil", utc(leaseUntil))
			.param("id", id)
			.param("status", PENDING)
			.param("now", utc(now))
			.update() == 1;
	}

	void recordAttempt(long deliveryId, Instant at, @Nullable Integer statusCode, @Nullable String error) {
		this.jdbc.sql("""
				insert into callback_attempt (delivery_id, attempted_at, status_code, error)
				values (:deliveryId, :at, :statusCode, :error)""")
			.param("deliveryId", deliveryId)
			.param("at", utc(at))
			.param("statusCode", statusCode, java.sql.Types.INTEGER)
			.param("error", truncate(error), java.sql.Types.VARCHAR)
			.update();
	}

	void markDelivered(long id, int attempts, Instant at) {
		this.jdbc.sql("""
				update callback_delivery set status = :status, attempts = :attempts, next_attempt_at = null,
					delivered_at = :at where id = :id""")
			.param("status", DELIVERED)
			.param("attempts", attempts)
			.param("at", utc(at))
			.param("id", id)
			.update();
	}

	void markRetry(long id, int attempts, Instant nextAttemptAt) {
		this.jdbc.sql("update callback_delivery set attempts = :attempts, next_attempt_at = :next where id = :id")
			.param("attempts", attempts)
			.param("next", utc(nextAttemptAt))
			.param("id", id)
			.update();
	}

	void markFailed(long id, int attempts) {
		this.jdbc.sql("""
				update callback_delivery set status = :status, attempts = :attempts, next_attempt_at = null
				where id = :id""").param("status", FAILED).param("attempts", attempts).param("id", id).update();
	}

	/**
	 * Deliveries (newest first) with their attempts, of one request or the latest
	 * {@code limit} of all.
	 */
	List<DeliveryView> findViews(@Nullable Long requestId, int limit) {
		String where = (requestId != null) ? "where request_id = :requestId" : "";
		var query = this.jdbc.sql("""
				select id, event_id, request_id, url, payload, status, next_attempt_at, created_at, delivered_at
				from callback_delivery %s
				order by id desc
				fetch first :limit rows only""".formatted(where)).param("limit", limit);
		if (requestId != null) {
			query = query.param("requestId", requestId);
		}
		return query
			.query((rs, row) -> new DeliveryView(rs.getLong("id"), rs.getString("event_id"), rs.getLong("request_id"),
					rs.getString("url"), rs.getString("status"), nullableInstant(rs, "next_attempt_at"),
					instant(rs, "created_at"), nullableInstant(rs, "delivered_at"), rs.getString("payload"), List.of()))
			.list()
			.stream()
			.map((delivery) -> delivery.withAttempts(findAttempts(delivery.id())))
			.toList();
	}

	private List<AttemptView> findAttempts(long deliveryId) {
		return this.jdbc
			.sql("select attempted_at, status_code, error from callback_attempt where delivery_id = ? order by id")
			.param(deliveryId)
			.query((rs, row) -> new AttemptView(instant(rs, "attempted_at"), rs.getObject("status_code", Integer.class),
					rs.getString("error")))
			.list();
	}

	static @Nullable String truncate(@Nullable String error) {
		return (error == null || error.length() <= MAX_ERROR) ? error : error.substring(0, MAX_ERROR - 3) + "...";
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getObject(column, OffsetDateTime.class).toInstant();
	}

	private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/** Where a request's callbacks go ({@code callbackUrl} null: nowhere). */
	/** {@link Target} of the request {@code requestId}. */
	record NewestTarget(long requestId, Target target) {
	}

	record Target(String ticketRef, @Nullable String callbackUrl) {
	}

	/** A pending delivery whose next attempt is due. */
	record Due(long id, String eventId, long requestId, String url, String payload, int attempts) {
	}

	/** One delivery as admins see it. */
	record DeliveryView(long id, String eventId, long requestId, String url, String status,
			@Nullable Instant nextAttemptAt, Instant createdAt, @Nullable Instant deliveredAt, String payload,
			List<AttemptView> attempts) {

		DeliveryView withAttempts(List<AttemptView> attempts) {
			return new DeliveryView(this.id, this.eventId, this.requestId, this.url, this.status, this.nextAttemptAt,
					this.createdAt, this.deliveredAt, this.payload, attempts);
		}

	}

	/** One attempt: the HTTP status the receiver answered, or why there was no answer. */
	record AttemptView(Instant attemptedAt, @Nullable Integer statusCode, @Nullable String error) {
	}

}
