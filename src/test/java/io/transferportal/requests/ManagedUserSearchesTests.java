package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * When {@link ManagedUserSearches} counts or reads a page again: after a change's
 * transaction ends, after the database's generation advanced (another instance's change),
 * after its time to live on the portal's clock, and when a change began while it counted;
 * never for a count or page it still holds. And when it advances the database's
 * generation: once a change committed, once for the changes that commit before it begins.
 */
class ManagedUserSearchesTests {

	static final LifecycleCutoffs CUTOFFS = new LifecycleCutoffs(Instant.parse("2026-12-15T00:00:00Z"), Instant.EPOCH,
			Instant.EPOCH);

	final ManagedUserRepository users = mock(ManagedUserRepository.class);

	final TestClock clock = TestClock.frozenAt(Instant.parse("2026-12-01T09:00:00Z"));

	/** Advances asked for and not run yet (a test runs them). */
	final List<Runnable> advances = new ArrayList<>();

	final ManagedUserSearches searches = new ManagedUserSearches(this.users, this.clock, this.advances::add);

	@AfterEach
	void clearSynchronization() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clear();
		}
	}

	@Test
	void aCountIsKeptUntilItsTimeToLivePassesOnThePortalsClock() {
		given(this.users.countSearch("%ann%", Health.DRIFT)).willReturn(3L, 4L);
		assertThat(this.searches.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(3);
		assertThat(this.searches.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(3);
		this.clock.advance(ManagedUserSearches.TTL.minusMillis(100));
		assertThat(this.searches.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(3);
		verify(this.users, times(1)).countSearch("%ann%", Health.DRIFT);

		this.clock.advance(Duration.ofMillis(200));
		assertThat(this.searches.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(4);
		verify(this.users, times(2)).countSearch("%ann%", Health.DRIFT);
	}

	@Test
	void eachSearchHasACountOfItsOwn() {
		given(this.users.countSearch(isNull(), isNull())).willReturn(10L);
		given(this.users.countSearch(isNull(), eq(Health.OK))).willReturn(7L);
		given(this.users.countExpiring(isNull(), isNull(), eq(CUTOFFS.expiringBy()))).willReturn(2L);
		given(this.users.countSuspended(isNull(), isNull())).willReturn(1L);
		assertThat(this.searches.matching(null, null, null, CUTOFFS)).isEqualTo(10);
		assertThat(this.searches.matching(null, Health.OK, null, CUTOFFS)).isEqualTo(7);
		assertThat(this.searches.matching(null, null, LifecycleState.EXPIRING, CUTOFFS)).isEqualTo(2);
		assertThat(this.searches.matching(null, null, LifecycleState.SUSPENDED, CUTOFFS)).isEqualTo(1);
		assertThat(this.searches.matching(null, null, null, CUTOFFS)).isEqualTo(10);
		verify(this.users, times(1)).countSearch(isNull(), isNull());
	}

	@Test
	void aChangeAnotherInstanceCommittedIsSeenAsSoonAsTheDatabasesGenerationAdvances() {
		AtomicLong shared = new AtomicLong();
		given(this.users.generation()).willAnswer((invocation) -> shared.get());
		given(this.users.countByHealth()).willReturn(rows(Health.OK, 5L), rows(Health.OK, 6L));
		PageRequest first = PageRequest.of(0, 2, Sort.by("serverId", "userName"));
		AtomicInteger reads = new AtomicInteger();
		Supplier<List<ManagedUserView>> read = () -> views("read-" + reads.incrementAndGet() + "-", 2);
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 5L);
		this.searches.page(null, null, null, first, read);
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 5L);
		this.searches.page(null, null, null, first, read);
		assertThat(reads).hasValue(1);

		// another instance committed a change and advanced the generation: seen once it
		// is read again, long before the time to live
		shared.incrementAndGet();
		assertThat(this.searches.byHealth()).as("read again after an interval").containsEntry(Health.OK, 5L);
		this.clock.advance(ManagedUserSearches.SHARED_READ_INTERVAL);
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 6L);
		assertThat(this.searches.page(null, null, null, first, read)).extracting(ManagedUserView::userName)
			.containsExactly("read-2-0", "read-2-1");
		verify(this.users, times(2)).countByHealth();
		verify(this.users, times(2)).generation();
	}

	@Test
	void aCommittedTransactionAdvancesTheDatabasesGenerationOnceAfterItEnded() {
		TransactionSynchronizationManager.initSynchronization();
		this.searches.changing();
		this.searches.changing();
		assertThat(this.advances).as("nothing before the commit").isEmpty();
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.get(0).afterCompletion(TransactionSynchronization.STATUS_COMMITTED);
		assertThat(this.advances).hasSize(1);
		this.advances.remove(0).run();
		verify(this.users, times(1)).advanceGeneration();
	}

	@Test
	void aRolledBackTransactionLeavesTheDatabasesGenerationAlone() {
		TransactionSynchronizationManager.initSynchronization();
		this.searches.changing();
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		TransactionSynchronizationManager.clearSynchronization();
		synchronizations.get(0).afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK);
		assertThat(this.advances).isEmpty();
		verify(this.users, never()).advanceGeneration();
	}

	@Test
	void changesCommittedBeforeAnAdvanceBeginsShareIt() {
		this.searches.changing();
		this.searches.changing();
		this.searches.changing();
		assertThat(this.advances).hasSize(1);
		this.advances.remove(0).run();
		verify(this.users, times(1)).advanceGeneration();
		// a change after the advance began needs one of its own
		this.searches.changing();
		assertThat(this.advances).hasSize(1);
	}

	@Test
	void anAdvanceThatFailsIsAskedForAgainByTheNextChange() {
		given(this.users.advanceGeneration()).willThrow(new DataAccessResourceFailureException("database down"))
			.willReturn(1);
		this.searches.changing();
		this.advances.remove(0).run();
		this.searches.changing();
		this.advances.remove(0).run();
		verify(this.users, times(2)).advanceGeneration();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void thePortalsOwnAdvancerRunsAnAdvanceAndRefusesOnesAskedForAfterItClosed(CapturedOutput output) throws Exception {
		ManagedUserSearches own = new ManagedUserSearches(this.users, this.clock);
		own.changing();
		verify(this.users, timeout(Duration.ofMinutes(1).toMillis())).advanceGeneration();
		assertThat(output).doesNotContain("was not advanced");
		own.destroy();
		own.changing();
		// refused at once, in this thread, rather than run later
		assertThat(output).contains("The managed users' generation was not advanced");
		verify(this.users, times(1)).advanceGeneration();
	}

	@Test
	void aChangeOutsideATransactionIsSeenAtOnce() {
		given(this.users.countByHealth()).willReturn(rows(Health.OK, 5L), rows(Health.OK, 6L));
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 5L).containsEntry(Health.DRIFT, 0L);
		this.searches.changing();
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 6L);
	}

	@Test
	void aCountReadBeforeAChangesTransactionEndsIsNotKept() {
		given(this.users.countByHealth()).willReturn(rows(Health.OK, 5L), rows(Health.OK, 6L));
		TransactionSynchronizationManager.initSynchronization();
		this.searches.changing();
		this.searches.changing();
		// read while the change is not committed: the old count
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 5L);
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		assertThat(synchronizations).as("one per transaction, however many users change").hasSize(1);
		TransactionSynchronizationManager.clearSynchronization();
		assertThat(this.searches.byHealth()).as("still in the same generation").containsEntry(Health.OK, 5L);
		synchronizations.get(0).afterCompletion(TransactionSynchronization.STATUS_COMMITTED);
		assertThat(TransactionSynchronizationManager.hasResource(this.searches)).isFalse();
		assertThat(this.searches.byHealth()).as("counted again after the commit").containsEntry(Health.OK, 6L);
		verify(this.users, times(2)).countByHealth();
	}

	@Test
	void aChangeThatBeginsWhileCountingMakesTheNextReadCountAgain() {
		willAnswer((invocation) -> {
			this.searches.changing();
			return rows(Health.OK, 5L);
		}).willReturn(rows(Health.OK, 6L)).given(this.users).countByHealth();
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 5L);
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 6L);
		assertThat(this.searches.byHealth()).containsEntry(Health.OK, 6L);
		verify(this.users, times(2)).countByHealth();
	}

	@Test
	void readersThatMissAtOnceWaitForOneCount() throws Exception {
		CountDownLatch counting = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		willAnswer((invocation) -> {
			counting.countDown();
			release.await();
			return rows(Health.OK, 5L);
		}).given(this.users).countByHealth();
		ExecutorService readers = Executors.newFixedThreadPool(2);
		try {
			Future<Map<Health, Long>> first = readers.submit(this.searches::byHealth);
			counting.await();
			AtomicReference<Thread> second = new AtomicReference<>();
			Future<Map<Health, Long>> waiting = readers.submit(() -> {
				second.set(Thread.currentThread());
				return this.searches.byHealth();
			});
			// the second reader waits for the first one's count
			await().atMost(Duration.ofMinutes(1))
				.until(() -> second.get() != null && second.get().getState() != Thread.State.RUNNABLE);
			release.countDown();
			assertThat(first.get()).containsEntry(Health.OK, 5L);
			assertThat(waiting.get()).containsEntry(Health.OK, 5L);
		}
		finally {
			release.countDown();
			readers.shutdownNow();
		}
		verify(this.users, times(1)).countByHealth();
	}

	@Test
	void lifecycleCountsAreKeptToo() {
		given(this.users.countByLifecycle(any(), any(), any()))
			.willReturn(List.<Object[]>of(new Object[] { 1L, 2L, 3L, 4L }));
		assertThat(this.searches.byLifecycle(CUTOFFS)).containsEntry(LifecycleState.EXPIRING, 1L)
			.containsEntry(LifecycleState.REVIEW_OVERDUE, 4L);
		this.searches.byLifecycle(CUTOFFS);
		verify(this.users, times(1)).countByLifecycle(any(), any(), any());
	}

	@Test
	void aPageIsKeptUntilItsTimeToLivePassesOrAManagedUserChanges() {
		AtomicInteger reads = new AtomicInteger();
		Supplier<List<ManagedUserView>> read = () -> views("read-" + reads.incrementAndGet() + "-", 2);
		PageRequest first = PageRequest.of(0, 2, Sort.by("serverId", "userName"));
		List<ManagedUserView> page = this.searches.page("%ann%", Health.DRIFT, null, first, read);
		assertThat(page).extracting(ManagedUserView::userName).containsExactly("read-1-0", "read-1-1");
		this.clock.advance(ManagedUserSearches.TTL.minusMillis(100));
		assertThat(this.searches.page("%ann%", Health.DRIFT, null, first, read)).isEqualTo(page);
		assertThat(reads).hasValue(1);

		this.clock.advance(Duration.ofMillis(200));
		assertThat(this.searches.page("%ann%", Health.DRIFT, null, first, read)).extracting(ManagedUserView::userName)
			.containsExactly("read-2-0", "read-2-1");
		this.searches.changing();
		assertThat(this.searches.page("%ann%", Health.DRIFT, null, first, read)).extracting(ManagedUserView::userName)
			.containsExactly("read-3-0", "read-3-1");
		assertThat(reads).hasValue(3);
	}

	@Test
	void eachSearchPageSizeAndOrderIsKeptApart() {
		AtomicInteger reads = new AtomicInteger();
		Supplier<List<ManagedUserView>> read = () -> views("read-" + reads.incrementAndGet() + "-", 1);
		Sort byName = Sort.by("serverId", "userName");
		List<List<ManagedUserView>> pages = List.of(
				this.searches.page(null, null, null, PageRequest.of(0, 20, byName), read),
				this.searches.page(null, null, null, PageRequest.of(1, 20, byName), read),
				this.searches.page(null, null, null, PageRequest.of(0, 50, byName), read),
				this.searches.page(null, null, null, PageRequest.of(0, 20, Sort.by("verifiedAt")), read),
				this.searches.page("%ann%", null, null, PageRequest.of(0, 20, byName), read),
				this.searches.page(null, Health.OK, null, PageRequest.of(0, 20, byName), read),
				this.searches.page(null, null, LifecycleState.EXPIRING, PageRequest.of(0, 20, byName), read));
		assertThat(pages).extracting((page) -> page.get(0).userName()).doesNotHaveDuplicates();
		assertThat(this.searches.page(null, null, null, PageRequest.of(1, 20, byName), read)).isEqualTo(pages.get(1));
		assertThat(reads).hasValue(7);
	}

	@Test
	void keptPagesHoldAtMostTheirNumberOfUsers() {
		Sort byName = Sort.by("serverId", "userName");
		int pages = (int) (ManagedUserSearches.MAX_KEPT_USERS / 100) * 2;
		for (int number = 0; number < pages; number++) {
			int page = number;
			this.searches.page(null, null, null, PageRequest.of(page, 100, byName), () -> views(page + "-", 100));
		}
		assertThat(this.searches.keptUsers()).isPositive().isLessThanOrEqualTo(ManagedUserSearches.MAX_KEPT_USERS);
	}

	private static List<ManagedUserView> views(String prefix, int count) {
		return IntStream.range(0, count)
			.mapToObj((i) -> new ManagedUserView("s-0123456789abcdef0", prefix + i, true,
					new UserSpec("s-0123456789abcdef0", prefix + i, "bucket", null,
							"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", List.of(),
							AccessLevel.READ_WRITE, null, Map.of()),
					List.of(), Health.OK, null, null, ManagedUserView.Lifecycle.NONE))
			.toList();
	}

	private static List<Object[]> rows(Health health, long count) {
		return List.<Object[]>of(new Object[] { health, count });
	}

}
