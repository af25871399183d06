package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.transferportal.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * When {@link ManagedUserCounts} counts again: after a change's transaction ends, after
 * its time to live on the portal's clock, and when a change began while it counted; never
 * for a count it still holds.
 */
class ManagedUserCountsTests {

	static final LifecycleCutoffs CUTOFFS = new LifecycleCutoffs(Instant.parse("2026-12-15T00:00:00Z"), Instant.EPOCH,
			Instant.EPOCH);

	final ManagedUserRepository users = mock(ManagedUserRepository.class);

	final TestClock clock = new TestClock();

	final ManagedUserCounts counts = new ManagedUserCounts(this.users, this.clock);

	@AfterEach
	void clearSynchronization() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clear();
		}
	}

	@Test
	void aCountIsKeptUntilItsTimeToLivePassesOnThePortalsClock() {
		given(this.users.countSearch("%ann%", Health.DRIFT)).willReturn(3L, 4L);
		assertThat(this.counts.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(3);
		assertThat(this.counts.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(3);
		this.clock.advance(ManagedUserCounts.TTL.minusMillis(100));
		assertThat(this.counts.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(3);
		verify(this.users, times(1)).countSearch("%ann%", Health.DRIFT);

		this.clock.advance(Duration.ofMillis(200));
		assertThat(this.counts.matching("%ann%", Health.DRIFT, null, CUTOFFS)).isEqualTo(4);
		verify(this.users, times(2)).countSearch("%ann%", Health.DRIFT);
	}

	@Test
	void eachSearchHasACountOfItsOwn() {
		given(this.users.countSearch(isNull(), isNull())).willReturn(10L);
		given(this.users.countSearch(isNull(), eq(Health.OK))).willReturn(7L);
		given(this.users.countExpiring(isNull(), isNull(), eq(CUTOFFS.expiringBy()))).willReturn(2L);
		given(this.users.countSuspended(isNull(), isNull())).willReturn(1L);
		assertThat(this.counts.matching(null, null, null, CUTOFFS)).isEqualTo(10);
		assertThat(this.counts.matching(null, Health.OK, null, CUTOFFS)).isEqualTo(7);
		assertThat(this.counts.matching(null, null, LifecycleState.EXPIRING, CUTOFFS)).isEqualTo(2);
		assertThat(this.counts.matching(null, null, LifecycleState.SUSPENDED, CUTOFFS)).isEqualTo(1);
		assertThat(this.counts.matching(null, null, null, CUTOFFS)).isEqualTo(10);
		verify(this.users, times(1)).countSearch(isNull(), isNull());
	}

	@Test
	void aChangeOutsideATransactionIsSeenAtOnce() {
		given(this.users.countByHealth()).willReturn(rows(Health.OK, 5L), rows(Health.OK, 6L));
		assertThat(this.counts.byHealth()).containsEntry(Health.OK, 5L).containsEntry(Health.DRIFT, 0L);
		this.counts.changing();
		assertThat(this.counts.byHealth()).containsEntry(Health.OK, 6L);
	}

	@Test
	void aCountReadBeforeAChangesTransactionEndsIsNotKept() {
		given(this.users.countByHealth()).willReturn(rows(Health.OK, 5L), rows(Health.OK, 6L));
		TransactionSynchronizationManager.initSynchronization();
		this.counts.changing();
		this.counts.changing();
		// read while the change is not committed: the old count
		assertThat(this.counts.byHealth()).containsEntry(Health.OK, 5L);
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		assertThat(synchronizations).as("one per transaction, however many users change").hasSize(1);
		TransactionSynchronizationManager.clearSynchronization();
		assertThat(this.counts.byHealth()).as("still in the same generation").containsEntry(Health.OK, 5L);
		synchronizations.get(0).afterCompletion(TransactionSynchronization.STATUS_COMMITTED);
		assertThat(TransactionSynchronizationManager.hasResource(this.counts)).isFalse();
		assertThat(this.counts.byHealth()).as("counted again after the commit").containsEntry(Health.OK, 6L);
		verify(this.users, times(2)).countByHealth();
	}

	@Test
	void aChangeThatBeginsWhileCountingMakesTheNextReadCountAgain() {
		willAnswer((invocation) -> {
			this.counts.changing();
			return rows(Health.OK, 5L);
		}).willReturn(rows(Health.OK, 6L)).given(this.users).countByHealth();
		assertThat(this.counts.byHealth()).containsEntry(Health.OK, 5L);
		assertThat(this.counts.byHealth()).containsEntry(Health.OK, 6L);
		assertThat(this.counts.byHealth()).containsEntry(Health.OK, 6L);
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
			Future<Map<Health, Long>> first = readers.submit(this.counts::byHealth);
			counting.await();
			AtomicReference<Thread> second = new AtomicReference<>();
			Future<Map<Health, Long>> waiting = readers.submit(() -> {
				second.set(Thread.currentThread());
				return this.counts.byHealth();
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
		assertThat(this.counts.byLifecycle(CUTOFFS)).containsEntry(LifecycleState.EXPIRING, 1L)
			.containsEntry(LifecycleState.REVIEW_OVERDUE, 4L);
		this.counts.byLifecycle(CUTOFFS);
		verify(this.users, times(1)).countByLifecycle(any(), any(), any());
	}

	private static List<Object[]> rows(Health health, long count) {
		return List.<Object[]>of(new Object[] { health, count });
	}

}
