package io.transferportal.provisioning.kms;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.kms.KmsClient;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.PlanProblem;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The key-policy rules against moto_server: orphaned principals, Deny statements, and the
 * key's state at verification. moto stores a key policy verbatim, so a test can put the
 * unique id KMS shows for a deleted role, or any Deny, through the KMS client.
 */
@PortalIntegrationTest
class KeyPolicyIntegrationTests {

	/** What KMS shows instead of the ARN of a role that was deleted. */
	static final String DELETED_ROLE_ID = "AROA3XFRBF535EXAMPLE1";

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	KmsClient kms;

	String server;

	String bucket;

	@BeforeEach
	void setUp() {
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
	}

	@Test
	void aDeletedRoleInThePortalStatementIsDroppedAtTheNextWrite() {
		String key = this.aws.keyWithoutRootDelegation();
		UserSpec first = AwsFixtures.spec(this.server, "anna", this.bucket, key, TestKeys.ED25519_A);
		Plan firstPlan = this.engine.plan(first);
		apply(firstPlan);
		String firstRole = firstPlan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		// the role was deleted behind the portal's back: KMS now shows its unique id
		String orphaned = this.aws.keyPolicy(key).replace(firstRole, DELETED_ROLE_ID);
		this.kms.putKeyPolicy((request) -> request.keyId(key).policyName("default").policy(orphaned));
		assertThat(this.engine.verify(first).check(ResourceKind.KEY_POLICY).status()).isEqualTo(CheckStatus.DRIFT);

		UserSpec second = AwsFixtures.spec(this.server, "ben", this.bucket, key, TestKeys.ED25519_B);
		Plan plan = this.engine.plan(second);

		assertThat(plan.problems()).isEmpty();
		PlannedChange change = plan.change(ResourceKind.KEY_POLICY).orElseThrow();
		assertThat(change.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(change.warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning)
				.contains("remove orphaned principal " + DELETED_ROLE_ID + " (a deleted role)"));
		assertThat(change.after()).doesNotContain(DELETED_ROLE_ID);

		apply(plan);

		IamPolicy stored = Policies.parse(this.aws.keyPolicy(key));
		String secondRole = plan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		assertThat(KeyPolicies.namesOrphans(stored)).isFalse();
		assertThat(KeyPolicies.allowsRole(stored, secondRole, key)).isTrue();
		assertThat(stored.statements().subList(0, 2)).as("the statements the portal does not own")
			.isEqualTo(AwsFixtures.nonDelegatingPolicy().statements());
		assertThat(this.engine.verify(second).allOk()).isTrue();
	}

	@Test
	void aDeletedRoleInAStatementThePortalDoesNotOwnStopsThePlanNamingThatStatement() {
		IamPolicy policy = AwsFixtures.nonDelegatingPolicy()
			.copy((builder) -> builder.addStatement(IamStatement.builder()
				.sid("LegacyBatchJobs")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, DELETED_ROLE_ID)
				.addAction("kms:Decrypt")
				.addResource("*")
				.build()));
		String key = this.aws.keyWithoutRootDelegation();
		this.kms.putKeyPolicy((request) -> request.keyId(key).policyName("default").policy(policy.toJson()));
		String before = this.aws.keyPolicy(key);
		UserSpec spec = AwsFixtures.spec(this.server, "carl", this.bucket, key, TestKeys.ED25519_A);

		Plan plan = this.engine.plan(spec);

		assertThat(plan.isApplicable()).isFalse();
		assertThat(plan.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.resource()).isEqualTo(ResourceKind.KEY_POLICY);
			assertThat(problem.message()).contains("Statement \"LegacyBatchJobs\"",
					DELETED_ROLE_ID + " (a deleted role)", "Remove it from that statement");
		});
		assertThatExceptionOfType(PlanNotApplicableException.class).isThrownBy(() -> apply(plan));
		assertThat(this.aws.keyPolicy(key)).isEqualTo(before);
	}

	@Test
	void aDenyThatCertainlyStopsTheRoleIsAPlanProblemQuotingItsSid() {
		String key = keyWithDeny(IamStatement.builder()
			.sid("OnlyApplicationRoles")
			.effect(IamEffect.DENY)
			.addPrincipal(IamPrincipalType.AWS, "*")
			.addAction("kms:Decrypt")
			.addAction("kms:GenerateDataKey*")
			.addResource("*")
			.addCondition("StringNotLike", "aws:PrincipalArn", "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/apps/*")
			.build());

		Plan plan = this.engine.plan(AwsFixtures.spec(this.server, "dora", this.bucket, key, TestKeys.ED25519_A));

		assertThat(plan.problems()).extracting(PlanProblem::message)
			.singleElement()
			.satisfies((message) -> assertThat(message).contains(
					"Statement \"OnlyApplicationRoles\" of the key policy denies kms:Decrypt, kms:GenerateDataKey",
					"the user could not read or write files"));
	}

	@Test
	void aDenyThatMayStopTheRoleIsAPlanWarningQuotingItsSid() {
		String key = keyWithDeny(IamStatement.builder()
			.sid("OnlyThroughTheVpcEndpoint")
			.effect(IamEffect.DENY)
			.addPrincipal(IamPrincipalType.AWS, "*")
			// not kms:*: moto would deny the portal's DescribeKey, whatever the condition
			.addAction("kms:Decrypt")
			.addAction("kms:Encrypt")
			.addAction("kms:GenerateDataKey*")
			.addResource("*")
			.addCondition("StringNotEquals", "aws:SourceVpce", "vpce-1a2b3c4d")
			.build());
		// a guard that lists the portal's roles spares them: no warning for that one
		String spared = keyWithDeny(IamStatement.builder()
			.sid("OnlyKnownRoles")
			.effect(IamEffect.DENY)
			.addPrincipal(IamPrincipalType.AWS, "*")
			.addAction("kms:Decrypt")
			.addAction("kms:Encrypt")
			.addAction("kms:GenerateDataKey")
			.addResource("*")
			.addCondition("ArnNotLike", "aws:PrincipalArn",
					"arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/transfer-portal/*")
			.build());

		Plan plan = this.engine.plan(AwsFixtures.spec(this.server, "emil", this.bucket, key, TestKeys.ED25519_A));
		Plan sparedPlan = this.engine
			.plan(AwsFixtures.spec(this.server, "emil", this.aws.bucket(), spared, TestKeys.ED25519_A));

		assertThat(plan.problems()).isEmpty();
		PlannedChange change = plan.change(ResourceKind.KEY_POLICY).orElseThrow();
		assertThat(change.action()).isEqualTo(ChangeAction.NONE);
		assertThat(change.warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("Statement \"OnlyThroughTheVpcEndpoint\"",
					"kms:Decrypt, kms:GenerateDataKey", "may apply to role"));
		assertThat(sparedPlan.problems()).isEmpty();
		assertThat(sparedPlan.change(ResourceKind.KEY_POLICY).orElseThrow().warnings()).isEmpty();
	}

	/**
	 * moto denies DescribeKey when a Deny statement names it (ignoring principals and
	 * conditions): enough to show the answer to AccessDenied while planning. GetKeyPolicy
	 * and PutKeyPolicy are never denied by moto (see {@code KeyPolicyTests}).
	 */
	@Test
	void aKeyThePortalMayNotDescribeIsAFieldErrorNamingTheStatementTheKeyPolicyNeeds() {
		String key = keyWithDeny(IamStatement.builder()
			.sid("NobodyDescribes")
			.effect(IamEffect.DENY)
			.addPrincipal(IamPrincipalType.AWS, "*")
			.addAction("kms:DescribeKey")
			.addResource("*")
			.build());
		UserSpec spec = AwsFixtures.spec(this.server, "finn", this.bucket, key, TestKeys.ED25519_A);
		this.recorder.reset();

		assertThatExceptionOfType(InvalidUserSpecException.class).isThrownBy(() -> this.engine.plan(spec))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement().satisfies((violation) -> {
				assertThat(violation.field()).isEqualTo("kmsKeyArn");
				assertThat(violation.message()).contains("call kms:DescribeKey on key " + key,
						"IAM policies do not count", "{\"Sid\":\"TransferPortalManagesKeyPolicy\"",
						"\"Action\":[\"kms:DescribeKey\",\"kms:GetKeyPolicy\",\"kms:PutKeyPolicy\",\"kms:GenerateDataKey\"]");
			}));
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void verificationReadsEachKeyOnceAndReportsAKeyThatCannotBeUsed() {
		String key = this.aws.keyWithoutRootDelegation();
		String keyId = key.substring(key.lastIndexOf('/') + 1);
		List<UserSpec> users = List.of("fritz", "gina", "hugo")
			.stream()
			.map((name) -> AwsFixtures.spec(this.server, name, this.bucket, key, TestKeys.newEcdsaKey(name)))
			.toList();
		users.forEach((user) -> apply(this.engine.plan(user)));
		this.recorder.reset();

		assertThat(this.engine.verifyAll(users)).allSatisfy(
				(verification) -> assertThat(verification.allOk()).as(verification.checks().toString()).isTrue());
		assertThat(this.recorder.callsAbout(keyId)).filteredOn((call) -> call.equals("Kms:DescribeKey")).hasSize(1);
		assertThat(this.recorder.callsAbout(keyId)).filteredOn((call) -> call.equals("Kms:GetKeyPolicy")).hasSize(1);

		// moto finds a key by its id only in these calls
		this.kms.disableKey((request) -> request.keyId(keyId));
		assertThat(keyChecks(users)).allSatisfy((check) -> {
			assertThat(check.status()).isEqualTo(CheckStatus.ERROR);
			assertThat(check.detail())
				.isEqualTo("key " + key + " is disabled, so no user of it can read or write files");
		});
		this.kms.enableKey((request) -> request.keyId(keyId));
		assertThat(keyChecks(users)).allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK));

		this.kms.scheduleKeyDeletion((request) -> request.keyId(keyId).pendingWindowInDays(7));
		assertThat(keyChecks(users)).allSatisfy((check) -> {
			assertThat(check.status()).isEqualTo(CheckStatus.ERROR);
			assertThat(check.detail()).contains("key " + key + " is pending deletion (to be deleted at ",
					"nothing encrypted under it can be read again");
		});
		this.kms.cancelKeyDeletion((request) -> request.keyId(keyId));
		this.kms.enableKey((request) -> request.keyId(keyId));
		assertThat(keyChecks(users)).allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK));
	}

	private List<Check> keyChecks(List<UserSpec> users) {
		return this.engine.verifyAll(users)
			.stream()
			.map((verification) -> verification.check(ResourceKind.KEY_POLICY))
			.toList();
	}

	/** A key whose policy delegates to the account and adds the Deny. */
	private String keyWithDeny(IamStatement deny) {
		IamPolicy policy = IamPolicy.builder().addStatement(AwsFixtures.accountDelegation()).addStatement(deny).build();
		return this.aws.keyWithPolicy(policy.toJson());
	}

	private void apply(Plan plan) {
		this.engine.apply(plan, ProvisioningListener.NONE);
	}

}
