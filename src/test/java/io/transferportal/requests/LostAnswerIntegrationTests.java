package io.transferportal.requests;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.TransferException;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.FaultProxy;
import io.transferportal.support.FaultProxy.Fault;
import io.transferportal.support.MotoServer;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * One AWS write is applied but its answer never arrives (the connection drops after AWS
 * did the work, so the SDK retries a write that already happened): at each write of a
 * provision and of a deprovision, the request still ends as approved, without a second
 * approval and with nothing twice in AWS.
 */
class LostAnswerIntegrationTests {

	static FaultProxy proxy;

	static ConfigurableApplicationContext portal;

	@BeforeAll
	static void start() throws Exception {
		proxy = FaultProxy.start(MotoServer.endpoint());
		Map<String, Object> properties = new HashMap<>(PortalInstance.sharedH2());
		properties.put("portal.aws.endpoint", proxy.endpoint().toString());
		portal = PortalInstance.start(properties);
	}

	@AfterAll
	static void stop() {
		portal.close();
		proxy.close();
	}

	/**
	 * A user with two SSH keys on a bucket without encryption and a key that needs
	 * patching, so the provision makes every write it can.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "CreateRole", "PutRolePolicy", "PutKeyPolicy", "PutBucketEncryption", "PutObject",
			"CreateUser", "ImportSshPublicKey" })
	void aProvisionWhoseWriteLostItsAnswerEndsActive(String operation) {
		AwsFixtures aws = portal.getBean(AwsFixtures.class);
		String server = aws.sftpServer();
		String key = aws.keyWithoutRootDelegation();
		String user = AwsFixtures.unique("lost");
		List<String> keys = List.of(TestKeys.newEcdsaKey(user), TestKeys.newEcdsaKey(user + "-2"));
		AccessRequestManagement requests = portal.getBean(AccessRequestManagement.class);
		long id = requests
			.submitProvision(AwsFixtures.spec(server, user, aws.bucket(), key, keys.toArray(String[]::new)), null,
					Actor.person("alice"))
			.id();

		proxy.once((call) -> call.operation().equals(operation), Fault.DROPPED_AFTER);
		requests.approve(id, Actor.person("bob"), null);
		awaitSettled(requests, id);

		assertThat(proxy.onceDone()).as("the answer of %s was lost", operation).isTrue();
		assertThat(requests.find(id).orElseThrow()).satisfies(
				(request) -> assertThat(request.status()).as(request.failure() + "").isEqualTo(RequestStatus.ACTIVE));
		assertThat(FaultInjectionIntegrationTests.readBack(portal, server, key, List.of(id), Map.of(user, keys)))
			.isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "DeleteUser", "PutKeyPolicy", "DeleteRolePolicy", "DeleteRole" })
	void aDeprovisionWhoseWriteLostItsAnswerEndsDeleted(String operation) {
		AwsFixtures aws = portal.getBean(AwsFixtures.class);
		String server = aws.sftpServer();
		String key = aws.keyWithoutRootDelegation();
		String user = AwsFixtures.unique("gone");
		AccessRequestManagement requests = portal.getBean(AccessRequestManagement.class);
		long provision = requests
			.submitProvision(AwsFixtures.spec(server, user, aws.bucket(), key, TestKeys.newEcdsaKey(user)), null,
					Actor.person("alice"))
			.id();
		requests.approve(provision, Actor.person("bob"), null);
		awaitSettled(requests, provision);
		String roleArn = requests.find(provision)
			.orElseThrow()
			.plan()
			.change(ResourceKind.ROLE)
			.orElseThrow()
			.resourceArn();
		String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);

		long id = requests.submitDeprovision(server, user, null, Actor.person("admin")).id();
		proxy.once((call) -> call.operation().equals(operation), Fault.DROPPED_AFTER);
		requests.approve(id, Actor.person("bob"), null);
		awaitSettled(requests, id);

		assertThat(proxy.onceDone()).as("the answer of %s was lost", operation).isTrue();
		assertThat(requests.find(id).orElseThrow()).satisfies(
				(request) -> assertThat(request.status()).as(request.failure() + "").isEqualTo(RequestStatus.DELETED));
		// moto answers UserNotFound where AWS has ResourceNotFoundException: both are
		// "not found" to the portal
		assertThatExceptionOfType(TransferException.class)
			.isThrownBy(
					() -> portal.getBean(TransferClient.class).describeUser((r) -> r.serverId(server).userName(user)))
			.satisfies((ex) -> assertThat(AwsErrors.isNotFound(ex)).as(ex.getMessage()).isTrue());
		assertThatExceptionOfType(NoSuchEntityException.class)
			.isThrownBy(() -> portal.getBean(IamClient.class).getRole((r) -> r.roleName(roleName)));
		IamPolicy keyPolicy = Policies.parse(aws.keyPolicy(key));
		assertThat(KeyPolicies.allowsRole(keyPolicy, roleArn, key)).isFalse();
		assertThat(requests.steps(id)).extracting(RequestStepView::resource).doesNotHaveDuplicates();
	}

	private static void awaitSettled(AccessRequestManagement requests, long id) {
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> switch (requests.find(id).orElseThrow().status()) {
				case ACTIVE, FAILED, DELETED, NEEDS_REAPPROVAL -> true;
				default -> false;
			});
	}

}
