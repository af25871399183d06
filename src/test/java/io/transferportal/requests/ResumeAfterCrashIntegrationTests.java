package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The portal dies in the middle of a run (after the third AWS write); a restarted portal
 * on the same database finishes the request without duplicating anything. And a run whose
 * request another execution took stops before its next write.
 */
class ResumeAfterCrashIntegrationTests {

	static final CountDownLatch crashed = new CountDownLatch(1);

	@Test
	void aRunKilledAfterTheThirdStepIsCompletedByTheRestartedPortal() throws Exception {
		Map<String, Object> database = PortalInstance.sharedH2();
		Map<String, Object> fastResume = Map.of("portal.requests.lease", "2s", "portal.requests.resume-interval",
				"300ms");
		long id;
		String key;
		String bucket;
		try (ConfigurableApplicationContext first = PortalInstance.start(merge(database, fastResume),
				CrashOnFourthWrite.class)) {
			AwsFixtures aws = first.getBean(AwsFixtures.class);
			String server = aws.sftpServer();
			bucket = aws.bucket();
			key = aws.keyWithoutRootDelegation();
			CrashOnFourthWrite.armed.set(true);
			AccessRequestManagement requests = first.getBean(AccessRequestManagement.class);
			id = requests
				.submitProvision(AwsFixtures.spec(server, "hugo", bucket, key, TestKeys.ED25519_A), "CHG-7",
						Actor.person("alice"))
				.id();
			requests.approve(id, Actor.person("bob"), null);
			assertThat(crashed.await(120, TimeUnit.SECONDS)).as("the run crashed").isTrue();
			CrashOnFourthWrite.armed.set(false);
			assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PROVISIONING);
		}

		try (ConfigurableApplicationContext restarted = PortalInstance.start(merge(database, fastResume))) {
			AccessRequestManagement requests = restarted.getBean(AccessRequestManagement.class);
			await().atMost(Duration.ofSeconds(120))
				.until(() -> requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);

			RequestView done = requests.find(id).orElseThrow();
			// what the first run did is not done again: the restarted portal writes only
			// the remaining steps
			List<String> writes = restarted.getBean(AwsCallRecorder.class).writes();
			assertThat(writes).as("writes after the restart")
				.noneMatch((call) -> call.endsWith(":CreateRole") || call.endsWith(":PutRolePolicy")
						|| call.endsWith(":PutKeyPolicy"))
				.filteredOn((call) -> call.endsWith(":PutBucketEncryption") || call.endsWith(":CreateUser"))
				.hasSize(2);
			String roleArn = done.plan().change(ResourceKind.ROLE).orElseThrow().resourceArn();
			String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
			IamPolicy rolePolicy = Policies.parseUrlEncoded(restarted.getBean(IamClient.class)
				.getRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access"))
				.policyDocument());
			assertThat(rolePolicy.statements()).extracting((s) -> s.sid())
				.containsExactlyInAnyOrder("ListHomeFolder", "BucketLocation", "HomeFolderObjects",
						"KmsForBucketEncryption");
			IamPolicy keyPolicy = Policies.parse(restarted.getBean(AwsFixtures.class).keyPolicy(key));
			assertThat(keyPolicy.statements()).filteredOn((s) -> KeyPolicies.PORTAL_SID.equals(s.sid()))
				.singleElement()
				.satisfies((s) -> assertThat(s.principals()).extracting((p) -> p.id()).containsExactly(roleArn));
			assertThat(requests.managedUser(done.serverId(), "hugo").orElseThrow().checks())
				.allSatisfy((check) -> assertThat(check.status().name()).isEqualTo("OK"));
			// the progress table: each resource once, done, and what the first run wrote
			// still said (the restarted run found the role there and wrote nothing)
			List<RequestStepView> steps = requests.steps(id);
			assertThat(steps).extracting(RequestStepView::resource).doesNotHaveDuplicates();
			assertThat(steps).extracting(RequestStepView::status).containsOnly("DONE");
			assertThat(steps).filteredOn((step) -> step.resource() == ResourceKind.ROLE)
				.singleElement()
				.satisfies((step) -> assertThat(step.outcome()).isEqualTo("CREATED"));
			assertThat(steps).filteredOn((step) -> step.resource() == ResourceKind.BUCKET_ENCRYPTION)
				.singleElement()
				.satisfies((step) -> assertThat(step.outcome()).isNotEqualTo("UNCHANGED"));
			// the restarted portal counts the run it took over from the dead one
			assertThat(restarted.getBean(MeterRegistry.class).get("portal.requests.lease.takeovers").counter().count())
				.isEqualTo(1);
		}
	}

	@Test
	void aRunWhoseRequestAnotherExecutionTookStopsBeforeItsNextWrite() {
		Map<String, Object> fastRetry = Map.of("portal.requests.lease", "2s", "portal.requests.resume-interval",
				"300ms");
		try (ConfigurableApplicationContext portal = PortalInstance.start(merge(PortalInstance.sharedH2(), fastRetry),
				TakeOverOnFirstWrite.class)) {
			AwsFixtures aws = portal.getBean(AwsFixtures.class);
			AccessRequestManagement requests = portal.getBean(AccessRequestManagement.class);
			long id = requests
				.submitProvision(AwsFixtures.spec(aws.sftpServer(), "ines", aws.bucket(),
						aws.keyWithoutRootDelegation(), TestKeys.ED25519_B), null, Actor.person("alice"))
				.id();
			AwsCallRecorder recorder = portal.getBean(AwsCallRecorder.class);
			recorder.reset();
			TakeOver takeOver = portal.getBean(TakeOver.class);
			takeOver.armed.set(true);

			requests.approve(id, Actor.person("bob"), null);

			// the stopped run's execution is tried again after the lease, finds the
			// request run by another execution, and ends
			JdbcTemplate jdbc = portal.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> takeOver.done.get()
						&& jdbc.queryForObject("select count(*) from scheduled_tasks where task_name = ?",
								Integer.class, ProvisioningScheduler.TASK) == 0);
			// the step under way finishes; the run stops before the next step
			assertThat(recorder.writes()).as("writes").containsExactly("Iam:CreateRole");
			assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PROVISIONING);
		}
	}

	private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
		Map<String, Object> all = new HashMap<>(a);
		all.putAll(b);
		return all;
	}

	/**
	 * Simulates the JVM dying: an Error on the fourth AWS write (the bucket encryption,
	 * after role, role policy and key policy), which the runner does not catch. Not the
	 * key policy: its write retries IAM propagation and reports any error as a failure.
	 */
	@Configuration(proxyBeanMethods = false)
	static class CrashOnFourthWrite {

		static final AtomicBoolean armed = new AtomicBoolean();

		@Bean
		ExecutionInterceptor crashOnFourthWrite() {
			AtomicInteger writes = new AtomicInteger();
			return new ExecutionInterceptor() {
				@Override
				public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
					String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
					if (armed.get() && !operation.matches("(Get|Describe|List|Head).*")
							&& writes.incrementAndGet() == 4) {
						crashed.countDown();
						throw new SimulatedCrash(operation);
					}
				}
			};
		}

	}

	/**
	 * On the first AWS write (the role step) another execution takes the request over, as
	 * a revived one would after this run's heartbeat was taken for dead.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TakeOverOnFirstWrite {

		@Bean
		TakeOver takeOver(ObjectProvider<AccessRequestRepository> requests,
				ObjectProvider<PlatformTransactionManager> transactions) {
			return new TakeOver(requests, transactions);
		}

	}

	static class TakeOver implements ExecutionInterceptor {

		final AtomicBoolean armed = new AtomicBoolean();

		final AtomicBoolean done = new AtomicBoolean();

		private final AtomicInteger writes = new AtomicInteger();

		private final ObjectProvider<AccessRequestRepository> requests;

		private final ObjectProvider<PlatformTransactionManager> transactions;

		TakeOver(ObjectProvider<AccessRequestRepository> requests,
				ObjectProvider<PlatformTransactionManager> transactions) {
			this.requests = requests;
			this.transactions = transactions;
		}

		@Override
		public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
			String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
			if (this.armed.get() && !operation.matches("(Get|Describe|List|Head).*")
					&& this.writes.incrementAndGet() == 1) {
				TransactionTemplate newTransaction = new TransactionTemplate(this.transactions.getObject());
				newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
				newTransaction.executeWithoutResult((status) -> this.requests.getObject()
					.findAll()
					.stream()
					.filter((request) -> request.getStatus() == RequestStatus.PROVISIONING)
					.forEach((request) -> request.startProvisioning(request.getId() + "/other", 1, Instant.now())));
				this.done.set(true);
			}
		}

	}

	static class SimulatedCrash extends Error {

		SimulatedCrash(String operation) {
			super("simulated crash before " + operation);
		}

	}

}
