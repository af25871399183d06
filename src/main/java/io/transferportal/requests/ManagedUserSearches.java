package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Pageable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the searches of the dashboard and the users API find among the active managed
 * users: how many there are per health, per state of their life and for each search, and
 * the pages of each search. Counting scans every active user and a page loads its users
 * with their checks, while the same pages are asked for again and again (dashboards
 * reloaded, ticketing systems polling the list), so both are kept until a managed user
 * changes. A change made in this instance is seen at once: what was read before its
 * transaction ended is forgotten ({@link ManagedUserChanges}). A change made by another
 * instance on the same database is seen once that instance, its transaction committed,
 * advanced the managed users' generation (a number in the database, read again every
 * {@link #SHARED_READ_INTERVAL}): about a second after the commit. {@link #TTL} bounds
 * the rest: a state of life that changes with time alone (an expiry date passing) and a
 * change written to the database by other means than the portal. A single user (its own
 * page, the API's {@code GET} of one user) is always read from the database.
 */
@Component
class ManagedUserSearches implements DisposableBean {

	/**
	 * How long a count or page is kept at most: a state of life that changes with time
	 * alone is seen within this time.
	 */
	static final Duration TTL = Duration.ofMinutes(1);

	/**
	 * How often the database's generation is read at most: each count and page reading it
	 * would cost as much as a kept page saves; another instance's change is seen within
	 * this time of its commit.
	 */
	static final Duration SHARED_READ_INTERVAL = Duration.ofSeconds(1);

	/** Searches told apart (filters typed into the dashboard), bounded. */
	private static final int MAX_SEARCHES = 1_000;

	/**
	 * Users kept in pages at most, all searches together (a view holds the approved spec
	 * with its SSH keys and each check's detail): a list of 10,000 users paged by the
	 * dashboard (1-based) and by the API (0-based, other sizes) and some filters besides,
	 * where a bound of one list made the pages evict one another.
	 */
	static final long MAX_KEPT_USERS = 25_000;

	private static final Object HEALTH = "health";

	private static final Object LIFECYCLE = "lifecycle";

	private static final Logger logger = LoggerFactory.getLogger(ManagedUserSearches.class);

	private final ManagedUserRepository users;

	/**
	 * Advanced when a change begins to be written in this instance and again when its
	 * transaction ends: a count or page read in between (the change not yet visible, or
	 * visible) is never kept past it.
	 */
	private final AtomicLong generation = new AtomicLong();

	/**
	 * Advances the generation in the database once a change committed, in a thread of its
	 * own: the change's thread may still hold its pooled connection, and taking a second
	 * one there could wait for a pool that threads doing the same exhausted.
	 */
	private final Executor advancer;

	/**
	 * Whether an advance is asked for and not begun: changes committed meanwhile are all
	 * covered by it, so a busy instance advances the generation far less often than it
	 * commits.
	 */
	private final AtomicBoolean advancing = new AtomicBoolean();

	private final Cache<Generation, Object> counts;

	private final Cache<Generation, List<ManagedUserView>> pages;

	private final Clock clock;

	/** The database's generation as last read, and when (on the clock, ms). */
	private volatile long shared;

	private final AtomicLong sharedReadAt;

	@Autowired
	ManagedUserSearches(ManagedUserRepository users, Clock clock) {
		this(users, clock, advancer());
	}

	ManagedUserSearches(ManagedUserRepository users, Clock clock, Executor advancer) {
		this.users = users;
		this.clock = clock;
		this.sharedReadAt = new AtomicLong(clock.millis() - SHARED_READ_INTERVAL.toMillis());
		this.advancer = advancer;
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
		return this.pages.get(generation(new Page(new Search(pattern, health, lifecycle), pageable)),
				(ignored) -> List.copyOf(page.get()));
	}

	/**
	 * A managed user is being stored, changed or removed: counts and pages read from now
	 * until the end of the current transaction (if any) are not kept, and once it
	 * committed, the generation in the database is advanced for the other instances.
	 */
	void changing() {
		this.generation.incrementAndGet();
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			advanceShared();
			return;
		}
		if (!TransactionSynchronizationManager.hasResource(this)) {
			// once per transaction, however many users it changes
			TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(ManagedUserSearches.this);
					ManagedUserSearches.this.generation.incrementAndGet();
					if (status == STATUS_COMMITTED) {
						advanceShared();
					}
				}

			});
		}
	}

	/**
	 * Advances the generation in the database, unless an advance asked for earlier has
	 * not begun yet. The transaction that wrote the change has committed, so an instance
	 * that reads the new generation reads the change too; one that read the old
	 * generation and then the change keeps a newer page than its key says, which is
	 * harmless.
	 */
	private void advanceShared() {
		if (!this.advancing.compareAndSet(false, true)) {
			return;
		}
		try {
			this.advancer.execute(() -> {
				this.advancing.set(false);
				try {
					this.users.advanceGeneration();
				}
				catch (RuntimeException ex) {
					// the database unreachable, or the portal closing: the time to live
					// still bounds what the other instances miss
					unadvanced(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// shutting down
			this.advancing.set(false);
			unadvanced(ex);
		}
	}

	private static void unadvanced(RuntimeException ex) {
		logger.warn("The managed users' generation was not advanced: other instances on the database see the "
				+ "latest changes of this one within {} seconds", TTL.toSeconds());
		logger.debug("Advancing the managed users' generation failed", ex);
	}

	@Override
	public void destroy() throws InterruptedException {
		if (this.advancer instanceof ExecutorService executor) {
			// an advance under way finishes while the database is still there
			executor.shutdown();
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * One thread, started when an advance is asked for and ended after a while without
	 * one: a sweep committing a thousand users does not start a thousand threads, and an
	 * idle portal holds none. Advances asked for while one runs wait for it in the queue
	 * (one at most: they are shared, see {@link #advanceShared()}).
	 */
	private static Executor advancer() {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				new CustomizableThreadFactory("managed-user-generation-"));
		executor.allowCoreThreadTimeOut(true);
		return executor;
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
		return (T) this.counts.get(generation(key), (ignored) -> count.get());
	}

	/**
	 * A key in this instance's generation and the database's: the local one read first,
	 * so that a change of this instance that begins in between is not missed.
	 */
	private Generation generation(Object key) {
		long local = this.generation.get();
		return new Generation(local, shared(), key);
	}

	/**
	 * The database's generation, read again by the first reader after
	 * {@link #SHARED_READ_INTERVAL}; the others meanwhile take the value read before. A
	 * value older than the database's only keys newer pages under an older generation,
	 * which the next read replaces.
	 */
	private long shared() {
		long now = this.clock.millis();
		long readAt = this.sharedReadAt.get();
		// a clock set back (tests move the portal's) reads at once too
		boolean due = now - readAt >= SHARED_READ_INTERVAL.toMillis() || now < readAt;
		if (due && this.sharedReadAt.compareAndSet(readAt, now)) {
			try {
				this.shared = this.users.generation();
			}
			catch (RuntimeException ex) {
				// the next reader tries again
				this.sharedReadAt.set(readAt);
				throw ex;
			}
		}
		return this.shared;
	}

	private record Search(@Nullable String pattern, @Nullable Health health, @Nullable LifecycleState lifecycle) {
	}

	private record Page(Search search, Pageable pageable) {
	}

	private record Generation(long local, long shared, Object key) {
	}

}
