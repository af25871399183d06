package io.transferportal.provisioning.core;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.transferportal.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Reads shared across runs: reused while fresh by the clock, made once when many runs
 * miss together, forgotten after a write, and only for resources users have in common.
 */
class ReadCacheTests {

	private static final Duration FRESH = Duration.ofSeconds(5);

	private final TestClock clock = new TestClock();

	@Test
	void aSharedReadIsReusedWhileFreshAndMadeAgainAfter() {
		String key = "kms-key-policy:" + UUID.randomUUID();
		AtomicInteger reads = new AtomicInteger();

		assertThat(read(key, reads)).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(4));
		assertThat(read(key, reads)).as("fresh").isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(read(key, reads)).as("5 s old: read again").isEqualTo(2);
		ReadCache.forgetShared();
		assertThat(read(key, reads)).as("after a write").isEqualTo(3);
	}

	@Test
	void runsThatMissTogetherWaitForOneRead() throws Exception {
		String key = "s3-bucket:" + UUID.randomUUID();
		AtomicInteger reads = new AtomicInteger();
		CountDownLatch reading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			Future<Integer> first = pool
				.submit(() -> ReadCache.shared(this.clock, FRESH, () -> ReadCache.get(key, () -> {
					reading.countDown();
					await(release);
					return reads.incrementAndGet();
				})));
			assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
			Future<Integer> second = pool.submit(() -> read(key, reads));
			Future<Integer> third = pool.submit(() -> read(key, reads));
			release.countDown();

			assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
			assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(1);
			assertThat(third.get(30, TimeUnit.SECONDS)).isEqualTo(1);
			assertThat(reads).hasValue(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aFailedReadIsNotKept() {
		String key = "transfer-server:" + UUID.randomUUID();
		assertThatIllegalStateException()
			.isThrownBy(() -> ReadCache.shared(this.clock, FRESH, () -> ReadCache.get(key, () -> {
				throw new IllegalStateException("throttled");
			})));
		AtomicInteger reads = new AtomicInteger();
		assertThat(read(key, reads)).isEqualTo(1);
	}

	@Test
	void readsOfOneUsersResourcesAreNeverShared() {
		String key = "iam-role:" + UUID.randomUUID();
		AtomicInteger reads = new AtomicInteger();
		read(key, reads);
		read(key, reads);
		assertThat(reads).hasValue(2);
	}

	private Integer read(String key, AtomicInteger reads) {
		return ReadCache.shared(this.clock, FRESH, () -> ReadCache.get(key, reads::incrementAndGet));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
