package io.transferportal.requests;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code portal.provisioning.role-mode=shared} against moto: users of one bucket, key and
 * access level assume one portal-owned role, each limited by its session policy; the role
 * stays while a managed user needs it and goes with the last.
 */
class SharedRoleIntegrationTests {

	@Test
	void usersShareOneRolePerBucketKeyAndLevelUntilTheLastIsRemoved() {
		Map<String, Object> properties = new HashMap<>(PortalInstance.sharedH2());
		properties.put("portal.provisioning.role-mode", "shared");
		try (ConfigurableApplicationContext portal = PortalInstance.start(properties)) {
			AwsFixtures aws = portal.getBean(AwsFixtures.class);
			AccessRequestManagement requests = portal.getBean(AccessRequestManagement.class);
			IamClient iam = portal.getBean(IamClient.class);
			String server = aws.sftpServer();
			String key = aws.rootDelegatingKey();
			String bucket = aws.bucketEncryptedWith(key);
			UserSpec anna = AwsFixtures.spec(server, AwsFixtures.unique("anna"), bucket, key, TestKeys.ED25519_A);
			UserSpec ben = AwsFixtures.spec(server, AwsFixtures.unique("ben"), bucket, key, TestKeys.ED25519_B);
			UserSpec cleo = new UserSpec(server, AwsFixtures.unique("cleo"), bucket, null, key,
					List.of(TestKeys.ED25519_C), AccessLevel.READ_ONLY, null, Map.of());

			List<RequestView> done = List.of(provision(requests, anna), provision(requests, ben),
					provision(requests, cleo));

			String shared = roleOf(done.get(0));
			assertThat(roleOf(done.get(1))).isEqualTo(shared);
			assertThat(roleOf(done.get(2))).as("read-only users have a role of their own level").isNotEqualTo(shared);
			Role role = iam.getRole((r) -> r.roleName(name(shared))).role();
			assertThat(role.path()).isEqualTo("/transfer-portal/shared/");
			assertThat(Policies.compact(Policies.parseUrlEncoded(role.assumeRolePolicyDocument()))).contains(":user/*");
			TransferClient transfer = portal.getBean(TransferClient.class);
			assertThat(transfer.describeUser((r) -> r.serverId(server).userName(anna.userName())).user().role())
				.isEqualTo(shared);
			for (UserSpec user : List.of(anna, ben, cleo)) {
				assertThat(requests.managedUser(server, user.userName()).orElseThrow().checks())
					.allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK));
			}

			deprovision(requests, server, anna.userName());
			assertThat(iam.getRole((r) -> r.roleName(name(shared))).role().arn()).as("kept while ben still uses it")
				.isEqualTo(shared);
			requests.verify(server, ben.userName(), Actor.person("admin"));
			assertThat(requests.managedUser(server, ben.userName()).orElseThrow().checks())
				.allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK));

			deprovision(requests, server, ben.userName());
			assertThatExceptionOfType(NoSuchEntityException.class)
				.isThrownBy(() -> iam.getRole((r) -> r.roleName(name(shared))));
			assertThat(iam.getRole((r) -> r.roleName(name(roleOf(done.get(2))))).role()).as("cleo's stays").isNotNull();
		}
	}

	private static RequestView provision(AccessRequestManagement requests, UserSpec spec) {
		long id = requests.submitProvision(spec, null, Actor.person("alice")).id();
		requests.approve(id, Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(2))
			.until(() -> requests.find(id).orElseThrow().status(),
					(status) -> status == RequestStatus.ACTIVE || status == RequestStatus.FAILED);
		RequestView done = requests.find(id).orElseThrow();
		assertThat(done.status()).as(String.valueOf(done.failure())).isEqualTo(RequestStatus.ACTIVE);
		return done;
	}

	private static void deprovision(AccessRequestManagement requests, String server, String user) {
		long id = requests.submitDeprovision(server, user, null, Actor.person("admin")).id();
		requests.approve(id, Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(2))
			.until(() -> requests.find(id).orElseThrow().status(),
					(status) -> status == RequestStatus.DELETED || status == RequestStatus.FAILED);
		assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.DELETED);
	}

	private static String roleOf(RequestView request) {
		return request.plan().change(ResourceKind.ROLE).orElseThrow().resourceArn();
	}

	private static String name(String roleArn) {
		return roleArn.substring(roleArn.lastIndexOf('/') + 1);
	}

}
