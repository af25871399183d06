package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;

/**
 * The requests module's metrics, for Prometheus ({@code /actuator/prometheus}):
 * <ul>
 * <li>{@code portal.requests}: requests by kind and status, counted in the database (so
 * every instance reports the same), at most every {@link #COUNTS_FRESH_FOR};</li>
 * <li>{@code portal.users}: managed users by health, from the dashboard's counts;</li>
 * <li>{@code portal.requests.approval.to.active}: from the approval that let a request
 * run to ACTIVE, by kind, as a histogram;</li>
 * <li>{@code portal.requests.lease.takeovers}: runs picked up from an instance that
 * stopped heartbeating (this instance's count).</li>
 * </ul>
 */
@Component
class RequestMetrics implements MeterBinder {

	private static final Logger logger = LoggerFactory.getLogger(RequestMetrics.class);

	/** A scrape every few seconds costs one grouped count per this period. */
	static final Duration COUNTS_FRESH_FOR = Duration.ofSeconds(10);

	private final AccessRequestRepository requests;

	private final ManagedUserSearches users;

	private final Clock clock;

	private final TransactionTemplate readOnly;

	// set once the registry binds the meters; read by runs and listeners on other threads
	private volatile @Nullable MeterRegistry registry;

	private volatile @Nullable Counter takeovers;

	private Map<String, Long> counts = Map.of();

	private @Nullable Instant countedAt;

	RequestMetrics(AccessRequestRepository requests, ManagedUserSearches users, Clock clock,
			PlatformTransactionManager transactions) {
		this.requests = requests;
		this.users = users;
		this.clock = clock;
		this.readOnly = new TransactionTemplate(transactions);
		this.readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.readOnly.setReadOnly(true);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		for (RequestKind kind : RequestKind.values()) {
			for (RequestStatus status : RequestStatus.values()) {
				String key = kind.name() + "/" + status.name();
				Gauge.builder("portal.requests", () -> count(key))
					.description("Requests by kind and status")
					.tag("kind", kind.name())
					.tag("status", status.name())
					.register(registry);
			}
		}
		for (Health health : Health.values()) {
			Gauge.builder("portal.users", () -> this.users.byHealth().getOrDefault(health, 0L))
				.description("Managed users by the health of their checks")
				.tag("health", health.name())
				.register(registry);
		}
		this.takeovers = Counter.builder("portal.requests.lease.takeovers")
			.description("Runs taken over from an instance whose heartbeat stopped")
			.register(registry);
	}

	/** A run took over a request whose earlier run's instance stopped heartbeating. */
	void tookOver() {
		if (this.takeovers != null) {
			this.takeovers.increment();
		}
	}

	/**
	 * Records the time from the last approval to ACTIVE, once the change committed and in
	 * a read-only transaction of its own: a failure here is logged and never touches the
	 * transaction that made the request ACTIVE.
	 */
	@TransactionalEventListener(fallbackExecution = true)
	void on(AccessRequestStatusChanged changed) {
		MeterRegistry meters = this.registry;
		if (changed.status() != RequestStatus.ACTIVE || meters == null) {
			return;
		}
		try {
			this.readOnly
				.executeWithoutResult((status) -> this.requests.findById(changed.requestId())
					.ifPresent((request) -> lastApproval(request).ifPresent((approvedAt) -> Timer
						.builder("portal.requests.approval.to.active")
						.description("From the approval that let a request run to ACTIVE")
						.tag("kind", request.getKind().name())
						.publishPercentileHistogram()
						.register(meters)
						.record(Duration.between(approvedAt, changed.occurredAt()).toNanos(), TimeUnit.NANOSECONDS))));
		}
		catch (RuntimeException ex) {
			logger.debug("Request {}: approval time not recorded ({})", changed.requestId(), ex.getMessage());
		}
	}

	private static Optional<Instant> lastApproval(AccessRequest request) {
		return request.getDecisions()
			.stream()
			.filter((decision) -> decision.getDecision() == RequestDecision.Decision.APPROVE)
			.map(RequestDecision::getDecidedAt)
			.max(Comparator.naturalOrder());
	}

	private synchronized long count(String key) {
		Instant now = this.clock.instant();
		if (this.countedAt == null || !now.isBefore(this.countedAt.plus(COUNTS_FRESH_FOR))) {
			Map<String, Long> fresh = new HashMap<>();
			for (Object[] row : this.requests.countByKindAndStatus()) {
				fresh.put(((RequestKind) row[0]).name() + "/" + ((RequestStatus) row[1]).name(), (Long) row[2]);
			}
			this.counts = fresh;
			this.countedAt = now;
		}
		return this.counts.getOrDefault(key, 0L);
	}

}
