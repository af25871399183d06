package io.transferportal.requests;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The portal dies in the middle of a run (after the second AWS write); a restarted portal
 * on the same database finishes the request without duplicating anything.
 */
class ResumeAfterCrashIntegrationTests {

	static final CountDownLatch crashed = new CountDownLatch(1);

	@Test
	void aRunKilledAfterTheSecondStepIsCompletedByTheRestartedPortal() throws Exception {
		Map<String, Object> database = PortalInstance.sharedH2();
		Map<String, Object> fastResume = Map.of("portal.requests.lease", "2s", "portal.requests.resume-interval",
				"300ms");
		long id;
		String key;
		String bucket;
		try (ConfigurableApplicationContext first = PortalInstance.start(merge(database, fastResume),
				CrashOnThirdWrite.class)) {
			AwsFixtures aws = first.getBean(AwsFixtures.class);
			String server = aws.sftpServer();
			bucket = aws.bucket();
			key = aws.keyWithoutRootDelegation();
			CrashOnThirdWrite.armed.set(true);
			AccessRequestManagement requests = first.getBean(AccessRequestManagement.class);
			id = requests
				.submitProvision(AwsFixtures.spec(server, "hugo", bucket, key, TestKeys.ED25519_A), "CHG-7", "alice")
				.id();
			requests.approve(id, "bob", null);
			assertThat(crashed.await(120, TimeUnit.SECONDS)).as("the run crashed").isTrue();
			CrashOnThirdWrite.armed.set(false);
			assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PROVISIONING);
		}

		try (ConfigurableApplicationContext restarted = PortalInstance.start(merge(database, fastResume))) {
			AccessRequestManagement requests = restarted.getBean(AccessRequestManagement.class);
			await().atMost(Duration.ofSeconds(120))
				.until(() -> requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);

			RequestView done = requests.find(id).orElseThrow();
			// what the first run did is not done again: the restarted portal writes only
			// the remaining steps
			java.util.List<String> writes = restarted.getBean(io.transferportal.support.AwsCallRecorder.class).writes();
			assertThat(writes).as("writes after the restart")
				.noneMatch((call) -> call.endsWith(":PutBucketEncryption") || call.endsWith(":CreateRole"))
				.filteredOn((call) -> call.endsWith(":PutRolePolicy") || call.endsWith(":PutKeyPolicy")
						|| call.endsWith(":CreateUser"))
				.hasSize(3);
			String roleArn = done.plan().change(ResourceKind.ROLE).orElseThrow().resourceArn();
			String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
			IamPolicy rolePolicy = Policies.parseUrlEncoded(restarted.getBean(IamClient.class)
				.getRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access"))
				.policyDocument());
			assertThat(rolePolicy.statements()).extracting((s) -> s.sid())
				.containsExactlyInAnyOrder("ListHomeFolder", "HomeFolderObjects", "KmsForBucketEncryption");
			IamPolicy keyPolicy = Policies.parse(restarted.getBean(AwsFixtures.class).keyPolicy(key));
			assertThat(keyPolicy.statements()).filteredOn((s) -> KeyPolicies.PORTAL_SID.equals(s.sid()))
				.singleElement()
				.satisfies((s) -> assertThat(s.principals()).extracting((p) -> p.id()).containsExactly(roleArn));
			assertThat(requests.managedUser(done.serverId(), "hugo").orElseThrow().checks())
				.allSatisfy((check) -> assertThat(check.status().name()).isEqualTo("OK"));
		}
	}

	private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
		Map<String, Object> all = new java.util.HashMap<>(a);
		all.putAll(b);
		return all;
	}

	/**
	 * Simulates the JVM dying: an Error on the third AWS write, which the runner does not
	 * catch.
	 */
	@Configuration(proxyBeanMethods = false)
	static class CrashOnThirdWrite {

		static final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();

		@Bean
		ExecutionInterceptor crashOnThirdWrite() {
			AtomicInteger writes = new AtomicInteger();
			return new ExecutionInterceptor() {
				@Override
				public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
					String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
					if (armed.get() && !operation.matches("(Get|Describe|List|Head).*")
							&& writes.incrementAndGet() == 3) {
						crashed.countDown();
						throw new SimulatedCrash(operation);
					}
				}
			};
		}

	}

	static class SimulatedCrash extends Error {

		SimulatedCrash(String operation) {
			super("simulated crash before " + operation);
		}

	}

}
