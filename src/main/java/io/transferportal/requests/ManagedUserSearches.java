package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the searches of the dashboard and the users API find among the active managed
 * users: how many there are per health, per state of their life and for each search, and
 * the pages of each search. Counting scans every active user and a page loads its users
 * with their checks, while the same pages are asked for again and again (dashboards
 * reloaded, ticketing systems polling the list), so both are kept until a managed user
 * changes: forgotten when a transaction that stored, changed or removed one ends in this
 * instance ({@link ManagedUserChanges}), and after {@link #TTL} on the application's
 * clock, which bounds how long a change written by another instance on the same database,
 * or a cut-off of the lifecycle moving with time, goes unseen. A single user (its own
 * page, the API's {@code GET} of one user) is always read from the database.
 */
@Component
class ManagedUserSearches {

	/**
	 * How long a count or page is kept at most: short enough for a dashboard, long enough
	 * that a busy one counts about once per this period instead of once per page.
	 */
	static final Duration TTL = Duration.ofSeconds(2);

	/** Searches told apart (filters typed into the dashboard), bounded. */
	private static final int MAX_SEARCHES = 1_000;

	/**
	 * Users kept in pages at most, all searches together (a view holds the approved spec
	 * with its SSH keys and each check's detail): the whole list of 10,000 users.
	 */
	static final long MAX_KEPT_USERS = 10_000;

	private static final Object HEALTH = "health";

	private static final Object LIFECYCLE = "lifecycle";

	private final ManagedUserRepository users;

	/**
	 * Advanced when a change begins to be written and again when its transaction ends: a
	 * count or page read in between (the change not yet visible, or visible) is never
	 * kept past it.
	 */
	private final AtomicLong generation = new AtomicLong();

	private final Cache<Generation, Object> counts;

	private final Cache<Generation, List<ManagedUserView>> pages;

	ManagedUserSearches(ManagedUserRepository users, Clock clock) {
		this.users = users;
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.counts = Caffeine.newBuilder().maximumSize(MAX_SEARCHES).expireAfterWrite(TTL).ticker(ticker).build();
		this.pages = Caffeine.newBuilder()
			.maximumWeight(MAX_KEPT_USERS)
			// evicts in the reading thread: no pool thread holds pages past the bound
			.executor(Runnable::run)
			.<Generation, List<ManagedUserView>>weigher((key, page) -> Math.max(1, page.size()))
			.expireAfterWrite(TTL)
			.ticker(ticker)
			.build();
	}

	/** Active users per health, every health present (0 for none). */
	Map<Health, Long> byHealth() {
		return kept(HEALTH, () -> {
			Map<Health, Long> counts = new EnumMap<>(Health.class);
			for (Health health : Health.values()) {
				counts.put(health, 0L);
			}
			for (Object[] row : this.users.countByHealth()) {
				counts.put((Health) row[0], (Long) row[1]);
			}
			return counts;
		});
	}

	/** Active users in each state of their life (a user may count in several). */
	Map<LifecycleState, Long> byLifecycle(LifecycleCutoffs cutoffs) {
		return kept(LIFECYCLE, () -> {
			Object[] row = this.users
				.countByLifecycle(cutoffs.expiringBy(), cutoffs.keysImportedBefore(), cutoffs.reviewedBefore())
				.get(0);
			Map<LifecycleState, Long> counts = new EnumMap<>(LifecycleState.class);
			for (LifecycleState state : LifecycleState.values()) {
				counts.put(state, ((Number) row[state.ordinal()]).longValue());
			}
			return counts;
		});
	}

	/**
	 * Active users a search finds.
	 * @param pattern a LIKE pattern for the server id or user name, {@code null} for all
	 * @param health one health, {@code null} for all
	 * @param lifecycle one state of life, {@code null} for all
	 */
	long matching(@Nullable String pattern, @Nullable Health health, @Nullable LifecycleState lifecycle,
			LifecycleCutoffs cutoffs) {
		return kept(new Search(pattern, health, lifecycle), () -> {
			if (lifecycle == null) {
				return this.users.countSearch(pattern, health);
			}
			return switch (lifecycle) {
				case EXPIRING -> this.users.countExpiring(pattern, health, cutoffs.expiringBy());
				case SUSPENDED -> this.users.countSuspended(pattern, health);
				case ROTATION_DUE -> this.users.countRotationDue(pattern, health, cutoffs.keysImportedBefore());
				case REVIEW_OVERDUE -> this.users.countReviewOverdue(pattern, health, cutoffs.reviewedBefore());
			};
		});
	}

	/**
	 * One page of the active users a search finds, read by {@code page} unless a page of
	 * the same search, number, size and order is kept.
	 * @param pattern a LIKE pattern for the server id or user name, {@code null} for all
	 * @param health one health, {@code null} for all
	 * @param lifecycle one state of life, {@code null} for all
	 * @param pageable the page's number, size and order
	 * @param page reads the page from the database (in the caller's transaction)
	 */
	List<ManagedUserView> page(@Nullable String pattern, @Nullable Health health, @Nullable LifecycleState lifecycle,
			Pageable pageable, Supplier<List<ManagedUserView>> page) {
		Generation key = new Generation(this.generation.get(),
				new Page(new Search(pattern, health, lifecycle), pageable));
		return this.pages.get(key, (ignored) -> List.copyOf(page.get()));
	}

	/**
	 * A managed user is being stored, changed or removed: counts and pages read from now
	 * until the end of the current transaction (if any) are not kept.
	 */
	void changing() {
		this.generation.incrementAndGet();
		if (TransactionSynchronizationManager.isSynchronizationActive()
				&& !TransactionSynchronizationManager.hasResource(this)) {
			// once per transaction, however many users it changes
			TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(ManagedUserSearches.this);
					ManagedUserSearches.this.generation.incrementAndGet();
				}

			});
		}
	}

	/** How many users the kept pages hold, all searches together (for tests). */
	long keptUsers() {
		this.pages.cleanUp();
		return this.pages.policy().eviction().orElseThrow().weightedSize().orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private <T> T kept(Object key, Supplier<T> count) {
		// keyed by the generation seen before counting: after a change began, readers
		// look for the next generation's count; the clients that miss at once wait for
		// one count instead of each making it
		return (T) this.counts.get(new Generation(this.generation.get(), key), (ignored) -> count.get());
	}

	private record Search(@Nullable String pattern, @Nullable Health health, @Nullable LifecycleState lifecycle) {
	}

	private record Page(Search search, Pageable pageable) {
	}

	private record Generation(long generation, Object key) {
	}

}
