package io.transferportal.requests;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.services.iam.IamClient;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The verification sweep is a recurring task stored beside the runs (one instance runs it
 * at a time): it finds on its own what changed in AWS.
 */
class VerificationSweepIntegrationTests {

	@Test
	void theSweepFindsARemovedRolePolicyWithoutAnyoneAsking() {
		Map<String, Object> properties = new HashMap<>(PortalInstance.sharedH2());
		properties.put("portal.requests.verification-interval", "1s");
		try (ConfigurableApplicationContext portal = PortalInstance.start(properties)) {
			AwsFixtures aws = portal.getBean(AwsFixtures.class);
			AccessRequestManagement requests = portal.getBean(AccessRequestManagement.class);
			String key = aws.rootDelegatingKey();
			UserSpec spec = AwsFixtures.spec(aws.sftpServer(), AwsFixtures.unique("swept"),
					aws.bucketEncryptedWith(key), key, TestKeys.ED25519_A);
			long id = requests.submitProvision(spec, null, Actor.person("alice")).id();
			requests.approve(id, Actor.person("bob"), null);
			await().atMost(Duration.ofMinutes(2))
				.until(() -> requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);
			assertThat(requests.managedUser(spec.serverId(), spec.userName()).orElseThrow().health())
				.isEqualTo(Health.OK);
			String roleArn = requests.find(id)
				.orElseThrow()
				.plan()
				.change(ResourceKind.ROLE)
				.orElseThrow()
				.resourceArn();

			portal.getBean(IamClient.class)
				.deleteRolePolicy((request) -> request.roleName(roleArn.substring(roleArn.lastIndexOf('/') + 1))
					.policyName("transfer-portal-access"));

			await().atMost(Duration.ofMinutes(2))
				.until(() -> requests.managedUser(spec.serverId(), spec.userName()).orElseThrow().health(),
						(health) -> health == Health.MISSING);
			assertThat(portal.getBean(JdbcTemplate.class)
				.queryForObject("select count(*) from scheduled_tasks where task_name = ?", Integer.class,
						ProvisioningScheduler.SWEEP_TASK))
				.isEqualTo(1);
		}
	}

}
