package io.transferportal.provisioning.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.kms.KmsClient;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.TestAccounts;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.ProvisioningProperties.KeyPolicyMode;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.support.AwsFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The key-policy decisions of {@code role-path} mode, and the size limits of
 * {@code role-list} mode, as plain functions.
 */
class KeyPolicyRolePathTests {

	static final String KEY = KeyPolicyTests.KEY;

	static final ProvisioningProperties ROLE_PATH = withMode(KeyPolicyMode.ROLE_PATH);

	KmsClient kms = mock(KmsClient.class);

	KeyPolicy rolePath = resource(ROLE_PATH);

	KeyPolicy roleList = resource(TestTargets.PROPERTIES);

	Target alice = target("alice", null);

	Target bob = target("bob", null);

	@Test
	void theRolePathStatementIsOneConstantStatementForTheAccountLimitedToThePathS3AndTheAccount() {
		IamStatement statement = KeyPolicies.rolePathStatement("aws", AwsFixtures.ACCOUNT, "us-east-1",
				"/transfer-portal/");

		assertThat(IamPolicy.builder().addStatement(statement).build().toJson())
			.isEqualTo("{\"Version\":\"2012-10-17\","
					+ "\"Statement\":{\"Sid\":\"TransferPortalRolePath\",\"Effect\":\"Allow\","
					+ "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},"
					+ "\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\"],\"Resource\":\"*\",\"Condition\":{"
					+ "\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::123456789012:role/transfer-portal/*\"},"
					+ "\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\","
					+ "\"kms:CallerAccount\":\"123456789012\"}}}}");
		assertThat(KeyPolicies.rolePathStatement("aws-cn", AwsFixtures.ACCOUNT, "cn-north-1", "/transfer-portal/")
			.conditions())
			.anySatisfy((condition) -> assertThat(condition.value()).isEqualTo("s3.cn-north-1.amazonaws.com.cn"));
	}

	@Test
	void theFirstUserAddsTheStatementAndLaterUsersNeedNoWrite() {
		IamPolicy original = AwsFixtures.nonDelegatingPolicy();

		Decision<PolicyWrite> first = this.rolePath.decide(this.alice, live(original));

		PlannedChange change = first.changes().get(0);
		assertThat(change.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(change.summary()).startsWith("Add the role-path statement TransferPortalRolePath")
			.contains("roles under /transfer-portal/", "later users need no key-policy write")
			.doesNotContain("alice");
		IamPolicy patched = first.work().policy();
		assertThat(patched.statements().subList(0, 2)).as("the statements the portal does not own")
			.isEqualTo(original.statements());
		assertThat(patched.statements()).hasSize(3);
		assertThat(KeyPolicies.portalStatementLists(patched, this.alice.roleArn()))
			.as("the role is not listed: the policy does not grow")
			.isFalse();
		assertThat(first.work().shownIn(patched, KEY)).isTrue();

		Decision<PolicyWrite> later = this.rolePath.decide(this.bob, live(patched));

		assertThat(later.writes()).isFalse();
		assertThat(later.changes()).singleElement().satisfies((none) -> {
			assertThat(none.action()).isEqualTo(ChangeAction.NONE);
			assertThat(none.summary()).contains("covered by the role-path statement TransferPortalRolePath");
		});
		assertThat(this.rolePath.decide(this.alice, live(patched)).writes()).as("decided again after the write")
			.isFalse();
	}

	@Test
	void everyUserIsApprovedForTheSameChangeSoWaitingRunsShareOneWrite() {
		IamPolicy original = AwsFixtures.nonDelegatingPolicy();

		PlannedChange forAlice = this.rolePath.decide(this.alice, live(original)).changes().get(0);
		PlannedChange forBob = this.rolePath.decide(this.bob, live(original)).changes().get(0);

		assertThat(forAlice.approvalBasis()).isEqualTo(forBob.approvalBasis());
	}

	@Test
	void aRolePathStatementChangedBehindThePortalsBackIsDriftAndRestored() {
		IamStatement wanted = KeyPolicies.rolePathStatement("aws", AwsFixtures.ACCOUNT, "us-east-1",
				"/transfer-portal/");
		// someone dropped kms:ViaService: any use of the key by those roles, not only
		// S3's
		IamStatement widened = wanted.copy((builder) -> builder.conditions(wanted.conditions()
			.stream()
			.filter((condition) -> !condition.key().value().equals("kms:ViaService"))
			.toList()));
		IamPolicy policy = AwsFixtures.nonDelegatingPolicy().copy((builder) -> builder.addStatement(widened));

		Decision<PolicyWrite> decision = this.rolePath.decide(this.alice, live(policy));

		assertThat(decision.changes().get(0).summary()).startsWith("Restore the role-path statement");
		assertThat(KeyPolicies.holds(decision.work().policy(), wanted)).isTrue();
		assertThat(decision.work().policy().statements()).hasSize(3);
	}

	@Test
	void anExistingRoleOutsideThePathIsStillListedByArn() {
		Target partner = target("carol", "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/partners/batch-uploads");

		Decision<PolicyWrite> decision = this.rolePath.decide(partner, live(AwsFixtures.nonDelegatingPolicy()));

		assertThat(decision.changes().get(0).summary())
			.contains("Allow role batch-uploads in statement " + KeyPolicies.PORTAL_SID);
		assertThat(KeyPolicies.allowsRole(decision.work().policy(), partner.roleArn(), KEY)).isTrue();
		assertThat(KeyPolicies.hasRolePathSid(decision.work().policy())).isFalse();
	}

	@Test
	void aRemovalNeverTakesTheRolePathStatementAway() {
		IamPolicy withStatement = this.rolePath.decide(this.alice, live(AwsFixtures.nonDelegatingPolicy()))
			.work()
			.policy();

		Decision<PolicyWrite> removal = this.rolePath.decideRemoval(this.alice, live(withStatement), Sharing.NONE);

		assertThat(removal.writes()).isFalse();
		assertThat(removal.changes()).singleElement()
			.satisfies((change) -> assertThat(change.summary())
				.contains("role-path statement TransferPortalRolePath stays"));
	}

	@Test
	void inRoleListModeAPolicyOverItsQuotaSaysToSwitchToRolePath() {
		Decision<PolicyWrite> decision = this.roleList.decide(this.alice, live(withListedRoles(400)));

		assertThat(decision.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("KMS allows 32768",
					"portal.provisioning.key-policy-mode=role-path"));
	}

	@Test
	void inRoleListModeAPolicyAboveEightyPercentOfItsQuotaIsAWarning() {
		IamPolicy policy = withListedRoles(320);
		int size = KeyPolicies.withRole(policy, this.alice.roleArn()).toJson().length();
		assertThat(size).as("the fixture").isBetween(32_768 * 80 / 100, 32_768);

		Decision<PolicyWrite> decision = this.roleList.decide(this.alice, live(policy));

		assertThat(decision.problems()).isEmpty();
		assertThat(decision.changes().get(0).warnings()).anySatisfy((warning) -> assertThat(warning)
			.contains("% of the 32768 KMS allows", "portal.provisioning.key-policy-mode=role-path"));
		assertThat(this.roleList.decide(this.alice, live(withListedRoles(10))).changes().get(0).warnings())
			.as("far below the quota")
			.isEmpty();
	}

	@Test
	void theDefaultModeIsRoleListAndRolePathIsSetByItsName() {
		ProvisioningProperties set = new Binder(
				new MapConfigurationPropertySource(Map.of("portal.provisioning.key-policy-mode", "role-path")))
			.bindOrCreate("portal.provisioning", ProvisioningProperties.class);
		ProvisioningProperties unset = new Binder(new MapConfigurationPropertySource())
			.bindOrCreate("portal.provisioning", ProvisioningProperties.class);

		assertThat(set.keyPolicyMode()).isEqualTo(KeyPolicyMode.ROLE_PATH);
		assertThat(unset.keyPolicyMode()).isEqualTo(KeyPolicyMode.ROLE_LIST);
		assertThat(unset.lock()).isEqualTo(ProvisioningProperties.Lease.DEFAULTS);
	}

	/** The portal's statement listing this many roles with names of typical length. */
	static IamPolicy withListedRoles(int roles) {
		IamPolicy policy = AwsFixtures.nonDelegatingPolicy();
		List<String> arns = new ArrayList<>();
		for (int i = 0; i < roles; i++) {
			arns.add("arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/transfer-portal/transfer-portal-s-0123-user" + i
					+ "-1a2b3c4d");
		}
		return policy.copy((builder) -> builder.addStatement(IamStatement.builder()
			.sid(KeyPolicies.PORTAL_SID)
			.effect(IamEffect.ALLOW)
			.addPrincipals(IamPrincipalType.AWS, arns)
			.addAction("kms:Decrypt")
			.addAction("kms:GenerateDataKey")
			.addResource("*")
			.build()));
	}

	KeyPolicy resource(ProvisioningProperties properties) {
		return new KeyPolicy(this.kms, new KeyLookup(this.kms), TestAccounts.fixed(AwsFixtures.ACCOUNT, "us-east-1"),
				properties);
	}

	static Target target(String user, @Nullable String roleArn) {
		return TestTargets.resolve(new UserSpec("s-0123456789abcdef0", user, "payments-inbox", null, KEY, List.of(),
				AccessLevel.READ_WRITE, roleArn, Map.of()), ROLE_PATH);
	}

	static LiveKey live(IamPolicy policy) {
		return new LiveKey(KeyPolicyTests.enabledKey(), policy);
	}

	static ProvisioningProperties withMode(KeyPolicyMode mode) {
		ProvisioningProperties p = TestTargets.PROPERTIES;
		return new ProvisioningProperties(p.rolePrefix(), p.rolePath(), p.maxSshKeys(), p.minRsaBits(),
				p.iamPropagation(), p.permissionsBoundaryArn(), p.existingRolePaths(), p.roleMode(), mode,
				ProvisioningProperties.Lease.DEFAULTS, p.keyPolicyLinger());
	}

}
