package io.transferportal.provisioning.kms;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
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
 * {@code key-policy-mode=role-path} against moto_server: the first user of a key adds the
 * constant statement, later users need no key-policy write, verification checks the
 * statement, and a removal leaves it. moto stores key policies verbatim and evaluates no
 * key-policy condition ({@code aws:PrincipalArn}, {@code kms:ViaService},
 * {@code kms:CallerAccount}) nor any permission at all, so whether KMS lets the roles use
 * the key through S3 is shown by AWS's documentation, not by this test.
 */
@PortalIntegrationTest
@TestPropertySource(properties = "portal.provisioning.key-policy-mode=role-path")
class KeyPolicyRolePathIntegrationTests {

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Test
	void theFirstUserAddsTheStatementAndLaterUsersNeedNoKeyPolicyWrite() {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.keyWithoutRootDelegation();
		String keyId = key.substring(key.lastIndexOf('/') + 1);
		UserSpec first = AwsFixtures.spec(server, "path-first", bucket, key, TestKeys.newEcdsaKey("path-first"));

		Plan firstPlan = this.engine.plan(first);
		PlannedChange added = firstPlan.change(ResourceKind.KEY_POLICY).orElseThrow();
		assertThat(added.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(added.summary()).startsWith("Add the role-path statement " + KeyPolicies.ROLE_PATH_SID);
		this.engine.apply(firstPlan, ProvisioningListener.NONE);

		IamPolicy stored = Policies.parse(this.aws.keyPolicy(key));
		assertThat(KeyPolicies.holds(stored,
				KeyPolicies.rolePathStatement("aws", AwsFixtures.ACCOUNT, key.split(":")[3], "/transfer-portal/")))
			.isTrue();
		assertThat(stored.statements().subList(0, 2)).as("the statements the portal does not own")
			.isEqualTo(AwsFixtures.nonDelegatingPolicy().statements());

		List<UserSpec> later = List.of("path-second", "path-third", "path-fourth")
			.stream()
			.map((name) -> AwsFixtures.spec(server, name, bucket, key, TestKeys.newEcdsaKey(name)))
			.toList();
		List<Plan> laterPlans = later.stream().map(this.engine::plan).toList();
		assertThat(laterPlans).allSatisfy((plan) -> {
			PlannedChange none = plan.change(ResourceKind.KEY_POLICY).orElseThrow();
			assertThat(none.action()).isEqualTo(ChangeAction.NONE);
			assertThat(none.summary()).contains("covered by the role-path statement");
		});
		this.recorder.reset();
		laterPlans.forEach((plan) -> this.engine.apply(plan, ProvisioningListener.NONE));

		assertThat(this.recorder.callsAbout(keyId)).doesNotContain("Kms:PutKeyPolicy");
		assertThat(Policies.parse(this.aws.keyPolicy(key))).as("the key policy did not grow").isEqualTo(stored);
		assertThat(this.engine.verify(first).allOk()).isTrue();
		assertThat(this.engine.verifyAll(later)).allSatisfy(
				(verification) -> assertThat(verification.allOk()).as(verification.checks().toString()).isTrue());

		Plan removal = this.engine.planRemoval(first, later);
		assertThat(removal.change(ResourceKind.KEY_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		this.engine.apply(removal, ProvisioningListener.NONE);
		assertThat(Policies.parse(this.aws.keyPolicy(key))).as("the statement stays for the key's other users")
			.isEqualTo(stored);
	}

}
