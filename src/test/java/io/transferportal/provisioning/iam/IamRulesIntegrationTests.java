package io.transferportal.provisioning.iam;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningListener;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.Verification;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The IAM rules a real account enforces, against moto: which existing roles may be named,
 * the permissions boundary of dedicated roles, and least privilege per access level, each
 * read back from IAM and Transfer.
 */
@PortalIntegrationTest
class IamRulesIntegrationTests {

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	IamClient iam;

	@Autowired
	TransferClient transfer;

	String server;

	String bucket;

	String key;

	@BeforeEach
	void setUp() {
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
	}

	@Test
	void anExistingRoleOutsideTheAllowedPathsIsRefusedWithoutAnyWrite() {
		String role = this.aws.existingRole("/ci/", transferTrust(Map.of()));
		this.recorder.reset();

		assertThatExceptionOfType(InvalidUserSpecException.class)
			.isThrownBy(() -> this.engine.plan(existingRoleSpec("ines", role)))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement().satisfies((violation) -> {
				assertThat(violation.field()).isEqualTo("roleArn");
				assertThat(violation.message()).contains(
						"IAM path /ci/ is not under an allowed path [/transfer-users/]",
						"portal.provisioning.existing-role-paths");
			}));
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void anExistingRoleWhoseTrustExcludesThisUserIsRefused() {
		String otherUser = "arn:aws:transfer:us-east-1:" + AwsFixtures.ACCOUNT + ":user/" + this.server + "/someone";
		String role = this.aws.existingRole(AwsFixtures.EXISTING_ROLE_PATH,
				transferTrust(Map.of("aws:SourceArn", otherUser)));
		this.recorder.reset();

		assertThatExceptionOfType(InvalidUserSpecException.class)
			.isThrownBy(() -> this.engine.plan(existingRoleSpec("jana", role)))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement().satisfies((violation) -> {
				assertThat(violation.field()).isEqualTo("roleArn");
				assertThat(violation.message()).contains("cannot be used",
						"does not let transfer.amazonaws.com sts:AssumeRole for user arn:aws:transfer:us-east-1:"
								+ AwsFixtures.ACCOUNT + ":user/" + this.server + "/jana",
						"has conditions that exclude this user");
			}));
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void anExistingRoleThatAdmitsThisUserIsUsedAndItsBoundaryIsAWarning() {
		String boundary = boundaryPolicy();
		String userArn = "arn:aws:transfer:us-east-1:" + AwsFixtures.ACCOUNT + ":user/" + this.server + "/kora";
		String role = this.aws.existingRole(AwsFixtures.EXISTING_ROLE_PATH,
				transferTrust(Map.of("aws:SourceArn", userArn)));
		String roleName = role.substring(role.lastIndexOf('/') + 1);
		this.iam.putRolePermissionsBoundary((request) -> request.roleName(roleName).permissionsBoundary(boundary));

		Plan plan = this.engine.plan(existingRoleSpec("kora", role));

		assertThat(plan.problems()).isEmpty();
		assertThat(plan.change(ResourceKind.ROLE).orElseThrow().warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("permissions boundary " + boundary));
	}

	@Test
	void dedicatedRolesGetTheConfiguredBoundaryAndARemovedOneIsDriftRepairedThroughApproval() {
		String boundary = boundaryPolicy();
		ProvisioningProperties properties = TestTargets.properties(boundary, List.of());
		UserRole resource = new UserRole(this.iam, properties);
		Target target = TestTargets.resolve(
				AwsFixtures.spec(this.server, AwsFixtures.unique("lena"), this.bucket, this.key, TestKeys.ED25519_A),
				properties);

		Decision<UserRole.Work> create = resource.decide(target, resource.read(target));
		assertThat(create.changes()).singleElement()
			.satisfies((change) -> assertThat(change.summary()).endsWith("with permissions boundary " + boundary));
		resource.write(target, Objects.requireNonNull(create.work()));
		assertThat(role(target).permissionsBoundary().permissionsBoundaryArn()).isEqualTo(boundary);
		assertThat(resource.decide(target, resource.read(target)).writes()).isFalse();

		this.iam.deleteRolePermissionsBoundary((request) -> request.roleName(target.roleName()));
		Decision<UserRole.Work> drift = resource.decide(target, resource.read(target));
		PlannedChange change = drift.changes().get(0);
		assertThat(change.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(change.summary()).isEqualTo("Repair permissions boundary: none -> " + boundary);
		assertThat(change.before()).contains("\"PermissionsBoundary\" : null");
		resource.write(target, Objects.requireNonNull(drift.work()));
		assertThat(role(target).permissionsBoundary().permissionsBoundaryArn()).isEqualTo(boundary);
		assertThat(resource.decide(target, resource.read(target)).writes()).isFalse();
		resource.write(target, UserRole.Work.DELETE);
	}

	@Test
	void aReadOnlyUserGetsOnlyDecryptAndEveryS3GrantIsLimitedToTheAccount() {
		UserSpec spec = new UserSpec(this.server, "mira", this.bucket, null, this.key, List.of(TestKeys.ED25519_A),
				AccessLevel.READ_ONLY, null, Map.of());
		Plan plan = this.engine.plan(spec);
		this.engine.apply(plan, ProvisioningListener.NONE);

		String roleArn = plan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		IamPolicy rolePolicy = Policies
			.parseUrlEncoded(this.iam.getRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access"))
				.policyDocument());
		IamPolicy sessionPolicy = Policies
			.parse(this.transfer.describeUser((r) -> r.serverId(this.server).userName("mira")).user().policy());
		for (IamPolicy policy : List.of(rolePolicy, sessionPolicy)) {
			assertThat(statement(policy, "KmsForBucketEncryption").actions()).extracting((a) -> a.value())
				.containsExactly("kms:Decrypt");
			assertThat(statement(policy, "HomeFolderObjects").actions()).extracting((a) -> a.value())
				.containsExactlyInAnyOrder("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging",
						"s3:GetObjectVersionTagging");
			assertThat(policy.statements()).filteredOn((s) -> !s.sid().startsWith("Kms"))
				.extracting(IamStatement::sid)
				.containsExactlyInAnyOrder("ListHomeFolder", "BucketLocation", "HomeFolderObjects");
			assertThat(policy.statements()).filteredOn((s) -> !s.sid().startsWith("Kms"))
				.allSatisfy((s) -> assertThat(s.conditions())
					.anySatisfy((c) -> assertThat(c.key().value() + "=" + c.value())
						.isEqualTo("s3:ResourceAccount=" + AwsFixtures.ACCOUNT)));
		}
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void aRolePolicyFromBeforeLeastPrivilegeIsDriftUntilRepaired() {
		UserSpec spec = AwsFixtures.spec(this.server, "nils", this.bucket, this.key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(spec);
		this.engine.apply(plan, ProvisioningListener.NONE);
		String roleArn = plan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		// what earlier versions wrote: kms:Encrypt too, no tagging reads, no account
		// condition
		IamPolicy earlier = IamPolicy.builder()
			.addStatement((s) -> s.sid("HomeFolderObjects")
				.effect(IamEffect.ALLOW)
				.addAction("s3:GetObject")
				.addResource("arn:aws:s3:::" + this.bucket + "/nils/*"))
			.addStatement((s) -> s.sid("KmsForBucketEncryption")
				.effect(IamEffect.ALLOW)
				.actionIds(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"))
				.addResource(this.key))
			.build();
		this.iam.putRolePolicy(
				(r) -> r.roleName(roleName).policyName("transfer-portal-access").policyDocument(earlier.toJson()));

		Verification drifted = this.engine.verify(spec);
		assertThat(drifted.checks()).filteredOn((check) -> check.resource() == ResourceKind.ROLE_POLICY)
			.singleElement()
			.satisfies((check) -> {
				assertThat(check.status()).isEqualTo(CheckStatus.DRIFT);
				assertThat(check.detail()).contains("kms:Encrypt");
			});

		Plan repair = this.engine.plan(spec);
		assertThat(repair.change(ResourceKind.ROLE_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.UPDATE);
		this.engine.apply(repair, ProvisioningListener.NONE);
		assertThat(Policies.sameMeaning(
				Policies.parseUrlEncoded(
						this.iam.getRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access"))
							.policyDocument()),
				TransferPolicies.homeFolderPolicy("aws", AwsFixtures.ACCOUNT, this.bucket, "nils", this.key,
						AccessLevel.READ_WRITE)))
			.isTrue();
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void roleTagsThatWereRemovedOrChangedAreDriftAndRepairedKeepingTagsOthersAdded() {
		UserSpec spec = AwsFixtures.spec(this.server, "otto", this.bucket, this.key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(spec);
		this.engine.apply(plan, ProvisioningListener.NONE);
		String roleArn = plan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		this.iam.untagRole((r) -> r.roleName(roleName).tagKeys("team"));
		this.iam.tagRole((r) -> r.roleName(roleName).tags((t) -> t.key("backup").value("daily")));

		Verification drifted = this.engine.verify(spec);
		assertThat(drifted.check(ResourceKind.ROLE_POLICY)).satisfies((check) -> {
			assertThat(check.status()).isEqualTo(CheckStatus.DRIFT);
			assertThat(check.detail()).contains("tags: set team=payments");
		});
		this.engine.apply(this.engine.plan(spec), ProvisioningListener.NONE);

		assertThat(this.iam.listRoleTags((r) -> r.roleName(roleName)).tags())
			.extracting((tag) -> tag.key() + "=" + tag.value())
			.contains("team=payments", "backup=daily", Target.MANAGED_TAG + "=" + Target.MANAGED_TAG_VALUE);
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	private UserSpec existingRoleSpec(String userName, String roleArn) {
		return new UserSpec(this.server, userName, this.bucket, null, this.key, List.of(TestKeys.ED25519_A),
				AccessLevel.READ_WRITE, roleArn, Map.of());
	}

	private Role role(Target target) {
		return this.iam.getRole((request) -> request.roleName(target.roleName())).role();
	}

	private String boundaryPolicy() {
		String document = IamPolicy.builder()
			.addStatement((s) -> s.effect(IamEffect.ALLOW).addAction("s3:*").addAction("kms:*").addResource("*"))
			.build()
			.toJson();
		return this.iam
			.createPolicy((request) -> request.policyName(AwsFixtures.unique("transfer-users-boundary-"))
				.policyDocument(document))
			.policy()
			.arn();
	}

	/** Transfer may assume the role, under these ArnLike conditions. */
	private static IamPolicy transferTrust(Map<String, String> conditions) {
		IamStatement.Builder statement = IamStatement.builder()
			.sid("TransferUsers")
			.effect(IamEffect.ALLOW)
			.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
			.addAction("sts:AssumeRole");
		conditions.forEach((key, value) -> statement.addCondition(IamConditionOperator.ARN_LIKE, key, value));
		return IamPolicy.builder().addStatement(statement.build()).build();
	}

	private static IamStatement statement(IamPolicy policy, String sid) {
		return policy.statements().stream().filter((s) -> sid.equals(s.sid())).findFirst().orElseThrow();
	}

}
