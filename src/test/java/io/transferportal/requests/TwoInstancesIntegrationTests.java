package io.transferportal.requests;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.Postgres;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two portal instances on one PostgreSQL, ten approved requests on one KMS key, and both
 * instances' schedulers racing for every run: each request is applied once, and the key
 * policy ends up with all ten roles. Expiries that came due while the portal was down are
 * handled once by the restarted pair.
 */
@EnabledIfEnvironmentVariable(named = Postgres.URL_VARIABLE, matches = ".+")
class TwoInstancesIntegrationTests {

	@Test
	void tenRequestsOnOneKeyAreEachAppliedOnceWithNoLostKeyPolicyUpdate() throws Exception {
		Map<String, Object> properties = new HashMap<>(Postgres.freshSchema());
		properties.put("portal.requests.resume-interval", "500ms");
		try (ConfigurableApplicationContext a = PortalInstance.start(properties);
				ConfigurableApplicationContext b = PortalInstance.start(properties)) {
			AwsFixtures aws = a.getBean(AwsFixtures.class);
			String server = aws.sftpServer();
			String bucket = aws.bucket();
			String key = aws.keyWithoutRootDelegation();
			AccessRequestManagement requestsA = a.getBean(AccessRequestManagement.class);
			AccessRequestManagement requestsB = b.getBean(AccessRequestManagement.class);
			a.getBean(AwsCallRecorder.class).reset();
			b.getBean(AwsCallRecorder.class).reset();

			List<Long> ids = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				AccessRequestManagement submitter = (i % 2 == 0) ? requestsA : requestsB;
				ids.add(submitter
					.submitProvision(
							AwsFixtures.spec(server, "multi" + i, bucket, key, TestKeys.newEcdsaKey("multi" + i)), null,
							Actor.person("alice"))
					.id());
			}
			// approvals spread over both instances; after each, both also look for due
			// runs at once (besides polling every 500 ms), so they race for every request
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Future<?>> work = new ArrayList<>();
				for (int i = 0; i < ids.size(); i++) {
					long id = ids.get(i);
					((i % 2 == 0) ? requestsB : requestsA).approve(id, Actor.person("bob"), null);
					work.add(pool.submit(() -> a.getBean(ProvisioningScheduler.class).checkForDueRuns()));
					work.add(pool.submit(() -> b.getBean(ProvisioningScheduler.class).checkForDueRuns()));
				}
				for (Future<?> future : work) {
					future.get();
				}
			}
			finally {
				pool.shutdown();
			}
			await().atMost(Duration.ofSeconds(120))
				.untilAsserted(() -> assertThat(ids).allSatisfy((id) -> assertThat(requestsA.find(id).orElseThrow())
					.satisfies((r) -> assertThat(r.status()).as(r.failure() + "").isEqualTo(RequestStatus.ACTIVE))));

			List<String> calls = new ArrayList<>(a.getBean(AwsCallRecorder.class).calls());
			calls.addAll(b.getBean(AwsCallRecorder.class).calls());
			assertThat(calls.stream().filter((c) -> c.endsWith(":CreateUser")).count()).isEqualTo(10);
			assertThat(calls.stream().filter((c) -> c.endsWith(":CreateRole")).count()).isEqualTo(10);
			// runs waiting on the key share a PutKeyPolicy: at most one per request, and
			// every role is in the policy (below)
			assertThat(calls.stream().filter((c) -> c.endsWith(":PutKeyPolicy")).count()).isBetween(1L, 10L);
			for (long id : ids) {
				assertThat(requestsA.steps(id)).extracting(RequestStepView::resource)
					.as("one run per request")
					.doesNotHaveDuplicates();
			}
			IamPolicy keyPolicy = Policies.parse(aws.keyPolicy(key));
			for (long id : ids) {
				String role = requestsA.find(id)
					.orElseThrow()
					.plan()
					.change(ResourceKind.ROLE)
					.orElseThrow()
					.resourceArn();
				assertThat(KeyPolicies.allowsRole(keyPolicy, role, key)).as(role).isTrue();
			}
		}
	}

	/**
	 * Access that expires while the portal is down: the restarted instances find it, and
	 * of the two (their recurring rounds every second, and each asked at once from
	 * several threads) one suspends each user, once.
	 */
	@Test
	void usersWhoseAccessExpiredWhileThePortalWasDownAreSuspendedOnceByOneInstance() throws Exception {
		Map<String, Object> properties = new HashMap<>(Postgres.freshSchema());
		properties.put("portal.requests.resume-interval", "500ms");
		properties.put("portal.lifecycle.check-interval", "1s");
		List<String> users = List.of("lapse0", "lapse1", "lapse2", "lapse3");
		String server;
		try (ConfigurableApplicationContext a = PortalInstance.start(properties)) {
			AwsFixtures aws = a.getBean(AwsFixtures.class);
			server = aws.sftpServer();
			String bucket = aws.bucket();
			String key = aws.rootDelegatingKey();
			AccessRequestManagement requests = a.getBean(AccessRequestManagement.class);
			Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
			for (String user : users) {
				long id = requests
					.submitProvision(AwsFixtures.spec(server, user, bucket, key, TestKeys.newEcdsaKey(user)), expiresAt,
							null, Actor.person("alice"))
					.id();
				requests.approve(id, Actor.person("bob"), null);
			}
			await().atMost(Duration.ofSeconds(120))
				.until(() -> users.stream()
					.allMatch((user) -> requests.managedUser(server, user).map(ManagedUserView::active).orElse(false)));
			// the hour passes while no instance runs
			a.getBean(JdbcClient.class)
				.sql("update managed_user set expires_at = ? where server_id = ?")
				.params(Timestamp.from(Instant.now().minusSeconds(60)), server)
				.update();
		}
		try (ConfigurableApplicationContext a = PortalInstance.start(properties);
				ConfigurableApplicationContext b = PortalInstance.start(properties)) {
			ExecutorService pool = Executors.newFixedThreadPool(4);
			try {
				List<Future<?>> work = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					work.add(pool.submit(() -> a.getBean(UserLifecycle.class).runDue()));
					work.add(pool.submit(() -> b.getBean(UserLifecycle.class).runDue()));
				}
				for (Future<?> future : work) {
					future.get();
				}
			}
			finally {
				pool.shutdown();
			}
			AccessRequestManagement requests = a.getBean(AccessRequestManagement.class);
			await().atMost(Duration.ofSeconds(120))
				.until(() -> users.stream()
					.allMatch((user) -> "EXPIRED".equals(requests.managedUser(server, user)
						.map((view) -> view.lifecycle().suspension())
						.orElse(null))));
			JdbcClient jdbc = a.getBean(JdbcClient.class);
			for (String user : users) {
				assertThat(jdbc.sql("select count(*) from access_request where user_name = ? and kind = 'EXPIRE'")
					.param(user)
					.query(Long.class)
					.single()).as(user + " suspended once").isEqualTo(1);
				assertThat(a.getBean(TransferClient.class)
					.describeUser((r) -> r.serverId(server).userName(user))
					.user()
					.sshPublicKeys()).as(user + " cannot sign in").isEmpty();
			}
		}
	}

}
