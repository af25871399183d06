package io.transferportal.provisioning.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.ApplyResult;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningListener;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 30 users on one key that needs patching, approved together and applied by 8 concurrent
 * runs (the default {@code portal.provisioning.concurrency}), against moto_server: the
 * runs waiting on the key share their PutKeyPolicy calls, and no role is lost.
 */
@PortalIntegrationTest
class KeyPolicyCoalescingIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(KeyPolicyCoalescingIntegrationTests.class);

	static final int USERS = 30;

	static final int RUNS = 8;

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	ExecutorService runs = Executors.newFixedThreadPool(RUNS);

	@AfterEach
	void stop() {
		this.runs.shutdownNow();
	}

	@Test
	void thirtyUsersApprovedTogetherShareFarFewerPutKeyPolicyCallsAndNoRoleIsLost() throws Exception {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.keyWithoutRootDelegation();
		String keyId = key.substring(key.lastIndexOf('/') + 1);
		List<Plan> plans = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			UserSpec spec = AwsFixtures.spec(server, "wave" + i, bucket, key, TestKeys.newEcdsaKey("wave" + i));
			plans.add(this.engine.plan(spec));
		}
		assertThat(plans).allSatisfy((plan) -> assertThat(plan.change(ResourceKind.KEY_POLICY).orElseThrow().action())
			.isEqualTo(ChangeAction.UPDATE));
		this.recorder.reset();

		// the first 8 runs start together, as the runs of one approval wave; the others
		// as runs finish
		CountDownLatch start = new CountDownLatch(1);
		List<Future<ApplyResult>> results = new ArrayList<>();
		for (Plan plan : plans) {
			results.add(this.runs.submit(() -> {
				start.await(60, TimeUnit.SECONDS);
				return this.engine.apply(plan, ProvisioningListener.NONE);
			}));
		}
		start.countDown();
		List<ApplyResult> applied = new ArrayList<>();
		for (Future<ApplyResult> result : results) {
			// a ceiling against a hang, not a timing assertion
			applied.add(result.get(300, TimeUnit.SECONDS));
		}

		long puts = this.recorder.callsAbout(keyId).stream().filter("Kms:PutKeyPolicy"::equals).count();
		logger.info("PutKeyPolicy calls for {} users on one key with {} concurrent runs: {}", USERS, RUNS, puts);
		assertThat(puts).as("PutKeyPolicy calls for %d users", USERS).isLessThanOrEqualTo(USERS / 2);
		IamPolicy stored = Policies.parse(this.aws.keyPolicy(key));
		assertThat(plans).allSatisfy((plan) -> assertThat(
				KeyPolicies.allowsRole(stored, plan.change(ResourceKind.ROLE).orElseThrow().resourceArn(), key))
			.isTrue());
		assertThat(stored.statements().subList(0, 2)).as("the statements the portal does not own")
			.isEqualTo(AwsFixtures.nonDelegatingPolicy().statements());
		for (int i = 0; i < USERS; i++) {
			String role = plans.get(i).change(ResourceKind.ROLE).orElseThrow().resourceArn();
			AppliedChange change = applied.get(i)
				.changes()
				.stream()
				.filter((each) -> each.resource() == ResourceKind.KEY_POLICY)
				.findFirst()
				.orElseThrow();
			assertThat(change.outcome()).isEqualTo(Outcome.UPDATED);
			assertThat(change.after()).as("what KMS stored, read back").contains(role);
		}
		assertThat(this.engine.verifyAll(plans.stream().map(Plan::spec).toList())).allSatisfy(
				(verification) -> assertThat(verification.allOk()).as(verification.checks().toString()).isTrue());
	}

}
