package io.transferportal.requests;

import java.time.Duration;
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
