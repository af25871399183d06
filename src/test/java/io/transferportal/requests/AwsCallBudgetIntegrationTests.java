package io.transferportal.requests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How many AWS calls the portal makes for a user, counted at the SDK: a new user on a
 * bucket and key that need no change, from submission to ACTIVE; a repair of a user that
 * is as required; a verification of many users.
 */
@PortalIntegrationTest
class AwsCallBudgetIntegrationTests {

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	ManagedUserRegister register;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	String server;

	String bucket;

	String key;

	@BeforeEach
	void compliantBucketAndKey() {
		this.server = this.aws.sftpServer();
		this.key = this.aws.rootDelegatingKey();
		this.bucket = this.aws.bucketEncryptedWith(this.key);
	}

	@Test
	void aNewUserOnACompliantBucketAndKey() {
		this.recorder.reset();
		long id = provision("budget-new");

		Map<String, Long> calls = byOperation(this.recorder.calls());
		System.out.println("new user: " + calls);
		assertThat(this.recorder.calls()).as("calls from submission to ACTIVE: %s", calls).hasSizeLessThanOrEqualTo(60);
		assertThat(this.requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.ACTIVE);
	}

	/**
	 * Twenty new users in one batch on a compliant bucket and key: the plans share the
	 * reads of the server, bucket and key, each run creates what its plan found absent
	 * without reading it first and is verified from what it wrote (the new Transfer user
	 * is not read back), and the runs share what they check of the bucket and key. The
	 * plans read the users' dedicated roles in one listing, as a verification sweep does.
	 */
	@Test
	void aBatchOfNewUsersCostsAtMostSevenCallsPerUser() {
		List<BatchItem> items = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			items.add(new BatchItem(AwsFixtures.spec(this.server, AwsFixtures.unique("batch" + i), this.bucket,
					this.key, TestKeys.newEcdsaKey("batch" + i)), null));
		}
		this.recorder.reset();

		RequestBatchView batch = this.requests.submitBatch(AwsFixtures.unique("CHG"), null, items,
				Actor.person("alice"), (stored) -> {
				});
		int submission = this.recorder.calls().size();
		this.requests.approveBatch(batch.id(), Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(3))
			.until(() -> this.requests.findBatch(batch.id()).orElseThrow().counts().get(RequestStatus.ACTIVE) == 20);

		List<String> calls = this.recorder.calls();
		System.out
			.println("batch of 20: submission " + submission + ", in all " + calls.size() + ": " + byOperation(calls));
		assertThat(calls).as("calls for 20 users: %s", byOperation(calls)).hasSizeLessThanOrEqualTo(7 * 20);
		assertThat(byOperation(calls)).as("each user read once, by its plan, the roles listed once")
			.containsEntry("Transfer:DescribeUser", 20L)
			.containsEntry("S3:HeadObject", 20L)
			.containsEntry("Iam:GetAccountAuthorizationDetails", 1L)
			.doesNotContainKey("Iam:GetRole");
		assertThat(this.recorder.writes()).as("4 writes per user").hasSize(4 * 20);
		this.requests.findBatch(batch.id())
			.orElseThrow()
			.items()
			.forEach(
					(item) -> assertThat(this.requests.managedUser(this.server, item.userName()).orElseThrow().checks())
						.allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK)));
	}

	/**
	 * A verification of many users reads their dedicated roles and inline policies in one
	 * listing, then each Transfer user and home folder once; the bucket, key and server
	 * once for all.
	 */
	@Test
	void aVerificationOfManyUsersReadsTwicePerUser() {
		List<String> users = new ArrayList<>();
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			UserSpec spec = AwsFixtures.spec(this.server, AwsFixtures.unique("sweep" + i), this.bucket, this.key,
					TestKeys.newEcdsaKey("sweep" + i));
			users.add(spec.userName());
			ids.add(this.requests.submitProvision(spec, null, Actor.person("alice")).id());
		}
		ids.forEach((id) -> this.requests.approve(id, Actor.person("bob"), null));
		await().atMost(Duration.ofMinutes(2))
			.until(() -> ids.stream()
				.allMatch((id) -> this.requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE));
		this.recorder.reset();

		int verified = this.register.verifyAll();

		assertThat(verified).isGreaterThanOrEqualTo(users.size());
		List<String> perUser = this.recorder.callsAbout(users.toArray(String[]::new));
		assertThat(byOperation(perUser)).as("calls naming one of the users")
			.containsOnly(Map.entry("S3:HeadObject", 10L), Map.entry("Transfer:DescribeUser", 10L));
		assertThat(this.recorder.calls()).as("roles listed once")
			.containsOnlyOnce("Iam:GetAccountAuthorizationDetails");
		assertThat(this.recorder.callsAbout(this.bucket)).filteredOn((call) -> call.endsWith(":GetBucketEncryption"))
			.hasSize(1);
		users.forEach((user) -> assertThat(this.requests.managedUser(this.server, user).orElseThrow().checks())
			.allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK)));
	}

	private long provision(String userName) {
		UserSpec spec = AwsFixtures.spec(this.server, AwsFixtures.unique(userName), this.bucket, this.key,
				TestKeys.ED25519_A);
		RequestView submitted = this.requests.submitProvision(spec, AwsFixtures.unique("CHG"), Actor.person("alice"));
		this.requests.approve(submitted.id(), Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(2))
			.until(() -> this.requests.find(submitted.id()).orElseThrow().status() == RequestStatus.ACTIVE);
		assertThat(this.requests.managedUser(this.server, spec.userName()).orElseThrow().checks())
			.allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK));
		return submitted.id();
	}

	private static Map<String, Long> byOperation(List<String> calls) {
		return calls.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
	}

}
