package io.transferportal.provisioning.core;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leases behind the provisioning locks on an H2 database migrated by Flyway: threads
 * waiting for a lock hold no database connection, a dead holder's lease is taken over
 * once it has expired, and a live one is not.
 */
class JdbcProvisioningLocksTests {

	static final String LOCK = "kms-key-policy:arn:aws:kms:us-east-1:123456789012:key/test";

	HikariDataSource dataSource;

	JdbcProvisioningLocks locks;

	ExecutorService threads = Executors.newFixedThreadPool(5);

	@BeforeEach
	void database() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:locks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		config.setMaximumPoolSize(10);
		this.dataSource = new HikariDataSource(config);
		Flyway.configure()
			.dataSource(this.dataSource)
			.locations("classpath:db/migration/common", "classpath:db/migration/h2")
			.load()
			.migrate();
		this.locks = new JdbcProvisioningLocks(repository("this-instance"), ProvisioningProperties.Lease.DEFAULTS);
	}

	@AfterEach
	void close() {
		this.threads.shutdownNow();
		this.locks.destroy();
		this.dataSource.close();
	}

	@Test
	void threadsWaitingForALockHoldNoDatabaseConnection() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch holding = new CountDownLatch(1);
		List<Future<Integer>> runs = new ArrayList<>();
		runs.add(this.threads.submit(() -> this.locks.withLock(LOCK, () -> {
			holding.countDown();
			await(release);
			return 0;
		})));
		await(holding);
		for (int i = 1; i < 5; i++) {
			int run = i;
			runs.add(this.threads.submit(() -> this.locks.withLock(LOCK, () -> run)));
		}

		// four threads wait and one works under the lock: with row locks that held a
		// transaction each, five connections were busy; now at most one thread of this
		// instance polls for the lease, in a short transaction, now and then
		int busiest = 0;
		for (int i = 0; i < 50; i++) {
			busiest = Math.max(busiest, this.dataSource.getHikariPoolMXBean().getActiveConnections());
			Thread.sleep(10);
		}
		release.countDown();

		for (Future<Integer> run : runs) {
			run.get(60, TimeUnit.SECONDS);
		}
		assertThat(busiest).isLessThanOrEqualTo(1);
		assertThat(leases()).as("every lease released").isZero();
	}

	@Test
	void aDeadHoldersLeaseIsTakenOverOnceExpiredAndALiveOneIsNot() {
		DefaultLockRepository otherInstance = repository("other-instance");
		String path = UUIDConverter.getUUID(LOCK).toString();
		assertThat(otherInstance.acquire(path, Duration.ofHours(1))).isTrue();
		DefaultLockRepository thisInstance = repository("this-instance");

		assertThat(thisInstance.acquire(path, Duration.ofSeconds(30))).as("the other instance's live lease").isFalse();

		// the other instance died an hour ago: its lease ran out
		new JdbcTemplate(this.dataSource).update("update int_lock set expired_after = ?",
				Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minusHours(1)));
		assertThat(this.locks.withLock(LOCK, () -> "taken over")).isEqualTo("taken over");
		assertThat(leases()).isZero();
	}

	private DefaultLockRepository repository(String instance) {
		DefaultLockRepository repository = new DefaultLockRepository(this.dataSource,
				UUID.nameUUIDFromBytes(instance.getBytes()).toString());
		repository.setTransactionManager(new DataSourceTransactionManager(this.dataSource));
		repository.setRegion("transfer-portal");
		repository.afterPropertiesSet();
		repository.afterSingletonsInstantiated();
		return repository;
	}

	private int leases() {
		return new JdbcTemplate(this.dataSource).queryForObject("select count(*) from int_lock", Integer.class);
	}

	private static void await(CountDownLatch latch) {
		try {
			// a ceiling against a hang, not a timing assertion
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
