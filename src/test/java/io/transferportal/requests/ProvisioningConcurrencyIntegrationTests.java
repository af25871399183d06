package io.transferportal.requests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code portal.provisioning.concurrency=2} an instance runs two provisioning runs
 * at once, however many are due: five approved requests whose runs are held at their
 * first AWS write (CreateRole) leave three waiting in the table, even when the instance
 * is told to look for due runs again; released, all five finish. No timing: the runs are
 * held on a latch and counted.
 */
class ProvisioningConcurrencyIntegrationTests {

	private static final Duration CEILING = Duration.ofSeconds(120);

	private static final int REQUESTS = 5;

	private static final int CONCURRENCY = 2;

	@Test
	void runsNoMoreThanTheConfiguredNumberAtOnce() {
		Map<String, Object> properties = new HashMap<>(PortalInstance.sharedH2());
		properties.put("portal.provisioning.concurrency", CONCURRENCY);
		try (ConfigurableApplicationContext portal = PortalInstance.start(properties, HoldCreateRole.class)) {
			CreateRoleGate gate = portal.getBean(CreateRoleGate.class);
			AccessRequestManagement requests = portal.getBean(AccessRequestManagement.class);
			List<Long> ids = new ArrayList<>();
			try {
				// the pool is sized to the concurrency, as the operator set no pool size
				assertThat(portal.getBean(HikariDataSource.class).getMaximumPoolSize())
					.isEqualTo(CONCURRENCY + ConnectionPoolSizing.HEADROOM);

				AwsFixtures aws = portal.getBean(AwsFixtures.class);
				String server = aws.sftpServer();
				for (int i = 0; i < REQUESTS; i++) {
					// a bucket and key each, so no run waits for another's key-policy
					// lock
					ids.add(requests
						.submitProvision(AwsFixtures.spec(server, "bulk" + i, aws.bucket(),
								aws.keyWithoutRootDelegation(), TestKeys.ED25519_A), null, Actor.person("alice"))
						.id());
				}
				ids.forEach((id) -> requests.approve(id, Actor.person("bob"), null));

				// "at least", so that without the bound (all five get here) the checks
				// below fail at once
				await().atMost(CEILING).alias("two runs held at CreateRole").until(() -> gate.inside() >= CONCURRENCY);
				// both threads are busy: asked to look again, the instance picks none of
				// the three other due runs
				ProvisioningScheduler scheduler = portal.getBean(ProvisioningScheduler.class);
				JdbcTemplate jdbc = portal.getBean(JdbcTemplate.class);
				for (int i = 0; i < 3; i++) {
					scheduler.checkForDueRuns();
					assertThat(pickedRuns(jdbc)).as("runs picked").isEqualTo(CONCURRENCY);
					assertThat(waitingRuns(jdbc)).as("runs waiting").isEqualTo(REQUESTS - CONCURRENCY);
				}
				assertThat(gate.inside()).isEqualTo(CONCURRENCY);
			}
			finally {
				gate.release();
			}
			await().atMost(CEILING)
				.alias("every request active")
				.until(() -> ids.stream()
					.allMatch((id) -> requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE));
			assertThat(gate.entered()).as("runs that reached CreateRole").isEqualTo(REQUESTS);
			assertThat(gate.mostInsideAtOnce()).as("most runs at CreateRole at once").isEqualTo(CONCURRENCY);
		}
	}

	private static int pickedRuns(JdbcTemplate jdbc) {
		return jdbc.queryForObject("select count(*) from scheduled_tasks where task_name = ? and picked", Integer.class,
				ProvisioningScheduler.TASK);
	}

	private static int waitingRuns(JdbcTemplate jdbc) {
		return jdbc.queryForObject("select count(*) from scheduled_tasks where task_name = ? and not picked",
				Integer.class, ProvisioningScheduler.TASK);
	}

	@Configuration(proxyBeanMethods = false)
	static class HoldCreateRole {

		@Bean
		CreateRoleGate createRoleGate() {
			return new CreateRoleGate();
		}

	}

	/**
	 * Holds every CreateRole call until released, and counts the runs inside (a run makes
	 * one CreateRole call, on its executor thread).
	 */
	static class CreateRoleGate implements ExecutionInterceptor {

		private final CountDownLatch released = new CountDownLatch(1);

		private final AtomicInteger inside = new AtomicInteger();

		private final AtomicInteger mostInside = new AtomicInteger();

		private final AtomicInteger entered = new AtomicInteger();

		@Override
		public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
			if (!isCreateRole(attributes)) {
				return;
			}
			this.entered.incrementAndGet();
			this.mostInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
			try {
				this.released.await(CEILING.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
			if (isCreateRole(attributes)) {
				this.inside.decrementAndGet();
			}
		}

		@Override
		public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
			if (isCreateRole(attributes)) {
				this.inside.decrementAndGet();
			}
		}

		int inside() {
			return this.inside.get();
		}

		int mostInsideAtOnce() {
			return this.mostInside.get();
		}

		int entered() {
			return this.entered.get();
		}

		void release() {
			this.released.countDown();
		}

		private static boolean isCreateRole(ExecutionAttributes attributes) {
			return "CreateRole".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
		}

	}

}
