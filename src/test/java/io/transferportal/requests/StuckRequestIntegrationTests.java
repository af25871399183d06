package io.transferportal.requests;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An admin closes a request nobody else can move on: one whose run keeps dying (every
 * pick ends in an error the runner cannot report, so the request stays PROVISIONING and
 * its run is tried again after the lease, for ever), and one waiting for a decision. Not
 * one whose run is under way.
 */
class StuckRequestIntegrationTests {

	static ConfigurableApplicationContext portal;

	static AccessRequestManagement requests;

	static AwsFixtures aws;

	static JdbcTemplate jdbc;

	static Trap trap;

	@BeforeAll
	static void start() {
		// the default lease (10 minutes): a dead pick is tried again long after the test
		portal = PortalInstance.start(PortalInstance.sharedH2(), TrapConfiguration.class);
		requests = portal.getBean(AccessRequestManagement.class);
		aws = portal.getBean(AwsFixtures.class);
		jdbc = portal.getBean(JdbcTemplate.class);
		trap = portal.getBean(Trap.class);
	}

	@AfterEach
	void disarm() {
		trap.mode.set(Mode.NONE);
		trap.release.countDown();
	}

	@AfterAll
	static void stop() {
		portal.close();
	}

	@Test
	void aRequestWhoseRunKeepsDyingIsClosedByAnAdminAndItsUserCanBeAskedForAgain() {
		UserSpec spec = spec("stuck-run");
		long id = requests.submitProvision(spec, "CHG-STUCK", Actor.person("alice")).id();
		trap.mode.set(Mode.DIE);
		requests.approve(id, Actor.person("bob"), null);
		// the pick died: the request stays PROVISIONING, its step RUNNING, and the run
		// waits in the table for its next try
		await().atMost(Duration.ofMinutes(2)).until(() -> runs(id, false) == 1);
		trap.mode.set(Mode.NONE);
		assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PROVISIONING);
		assertThat(requests.steps(id)).extracting(RequestStepView::status).contains("RUNNING");
		assertThatExceptionOfType(RequestConflictException.class)
			.isThrownBy(() -> requests.submitProvision(spec, null, Actor.person("alice")))
			.as("the stuck request blocks its user");

		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> requests.close(id, Actor.person("bob"), "an approver may not"));
		assertThatExceptionOfType(RequestNotAllowedException.class).isThrownBy(() -> requests.close(id,
				Actor.integration("servicenow", Set.of("requests:write")), "nor may an integration"));
		assertThatExceptionOfType(InvalidUserSpecException.class)
			.isThrownBy(() -> requests.close(id, Actor.person("admin"), "  "));

		RequestView closed = requests.close(id, Actor.person("admin"), "The run dies on every try; INC-42");

		assertThat(closed.status()).isEqualTo(RequestStatus.CANCELLED);
		assertThat(runs(id, false) + runs(id, true)).as("its scheduled run is gone").isZero();
		assertThat(requests.steps(id)).extracting(RequestStepView::status).doesNotContain("RUNNING");
		assertThat(portal.getBean(AuditTrail.class).search(AuditFilter.forRequest(id), 100))
			.filteredOn((record) -> "STATUS_CHANGED".equals(record.action()) && "CANCELLED".equals(record.outcome()))
			.singleElement()
			.satisfies((record) -> assertThat(record.actor()).isEqualTo("admin"))
			.satisfies((record) -> assertThat(record.detail()).contains("PROVISIONING -> CANCELLED",
					"Closed by admin: The run dies on every try; INC-42", "stays in AWS"));
		assertThatExceptionOfType(RequestConflictException.class)
			.isThrownBy(() -> requests.close(id, Actor.person("admin"), "again"))
			.withMessageContaining("already closed");

		// the user can be asked for again, and the new request plans from what the dead
		// run left in AWS
		long again = requests.submitProvision(spec, null, Actor.person("alice")).id();
		requests.approve(again, Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(2))
			.until(() -> requests.find(again).orElseThrow().status() == RequestStatus.ACTIVE);
	}

	@Test
	void aRequestWhoseRunIsUnderWayIsNotClosed() throws Exception {
		long id = requests.submitProvision(spec("busy-run"), null, Actor.person("alice")).id();
		trap.mode.set(Mode.HOLD);
		requests.approve(id, Actor.person("bob"), null);
		assertThat(trap.held.await(2, TimeUnit.MINUTES)).as("the run reached its first write").isTrue();

		assertThatExceptionOfType(RequestConflictException.class)
			.isThrownBy(() -> requests.close(id, Actor.person("admin"), "too early"))
			.withMessageContaining("is being run now");

		trap.mode.set(Mode.NONE);
		trap.release.countDown();
		await().atMost(Duration.ofMinutes(2))
			.until(() -> requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);
		assertThat(requests.find(id).orElseThrow().failure()).isNull();
	}

	@Test
	void aRequestWaitingForADecisionIsClosedByAnAdmin() {
		long id = requests.submitProvision(spec("waiting"), null, Actor.person("alice")).id();

		RequestView closed = requests.close(id, Actor.person("admin"), "alice left the company");

		assertThat(closed.status()).isEqualTo(RequestStatus.CANCELLED);
		assertThat(runs(id, false) + runs(id, true)).isZero();
	}

	private static UserSpec spec(String prefix) {
		String key = aws.rootDelegatingKey();
		return AwsFixtures.spec(aws.sftpServer(), AwsFixtures.unique(prefix), aws.bucketEncryptedWith(key), key,
				TestKeys.ED25519_A);
	}

	private static int runs(long id, boolean picked) {
		return jdbc.queryForObject(
				"select count(*) from scheduled_tasks where task_name = ? and task_instance like ? and picked = ?",
				Integer.class, ProvisioningScheduler.TASK, id + "/%", picked);
	}

	enum Mode {

		NONE, DIE, HOLD

	}

	/**
	 * On the first AWS write of a run (its role): an Error, as a bug or a dying JVM would
	 * end the pick ({@link Mode#DIE}), or a wait until the test lets it go on
	 * ({@link Mode#HOLD}).
	 */
	static class Trap implements ExecutionInterceptor {

		final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NONE);

		final CountDownLatch held = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
			// a run's first write; the fixtures create no role
			String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
			if (!"CreateRole".equals(operation)) {
				return;
			}
			if (this.mode.get() == Mode.DIE) {
				throw new Died(operation);
			}
			if (this.mode.get() == Mode.HOLD) {
				this.held.countDown();
				try {
					this.release.await(5, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TrapConfiguration {

		@Bean
		Trap trap() {
			return new Trap();
		}

	}

	/** Not an exception the runner reports as a failure: the pick ends with it. */
	static class Died extends Error {

		Died(String operation) {
			super("died before " + operation);
		}

	}

}
