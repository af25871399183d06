package io.transferportal.provisioning;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.TransferException;

import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine against moto_server: every scenario applies for real and reads the resulting
 * AWS state back through the SDK.
 */
@PortalIntegrationTest
class ProvisioningEngineIntegrationTests {

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	S3Client s3;

	@Autowired
	IamClient iam;

	@Autowired
	TransferClient transfer;

	String server;

	String bucket;

	@BeforeEach
	void setUp() {
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
	}

	@Test
	void provisionsNewBucketWithRootDelegatingKeyWithoutTouchingTheKeyPolicy() {
		String key = this.aws.rootDelegatingKey();
		String keyPolicyBefore = this.aws.keyPolicy(key);
		UserSpec spec = AwsFixtures.spec(this.server, "alice", this.bucket, key, TestKeys.ED25519_A, TestKeys.RSA_2048);

		Plan plan = this.engine.plan(spec);

		assertThat(plan.problems()).isEmpty();
		assertThat(plan.changes()).extracting(PlannedChange::resource, PlannedChange::action)
			.containsExactly(tuple(ResourceKind.ROLE, ChangeAction.CREATE),
					tuple(ResourceKind.ROLE_POLICY, ChangeAction.CREATE),
					tuple(ResourceKind.KEY_POLICY, ChangeAction.NONE),
					tuple(ResourceKind.BUCKET_ENCRYPTION, ChangeAction.CREATE),
					tuple(ResourceKind.HOME_FOLDER, ChangeAction.CREATE),
					tuple(ResourceKind.SESSION_POLICY, ChangeAction.CREATE),
					tuple(ResourceKind.TRANSFER_USER, ChangeAction.CREATE));
		assertThat(plan.change(ResourceKind.KEY_POLICY).orElseThrow().summary()).contains("delegates to the account");

		ApplyResult result = apply(plan);

		assertThat(result.changes()).extracting(AppliedChange::resource, AppliedChange::outcome)
			.contains(tuple(ResourceKind.BUCKET_ENCRYPTION, AppliedChange.Outcome.CREATED),
					tuple(ResourceKind.ROLE, AppliedChange.Outcome.CREATED),
					tuple(ResourceKind.ROLE_POLICY, AppliedChange.Outcome.CREATED),
					tuple(ResourceKind.TRANSFER_USER, AppliedChange.Outcome.CREATED));
		// bucket: SSE-KMS with this key and Bucket Key
		ServerSideEncryptionRule rule = this.s3.getBucketEncryption((r) -> r.bucket(this.bucket))
			.serverSideEncryptionConfiguration()
			.rules()
			.get(0);
		assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
		assertThat(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(key);
		assertThat(rule.bucketKeyEnabled()).isTrue();
		// role: trust limited to this user, inline policy with the KMS statement
		String roleArn = plan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		var role = this.iam.getRole((r) -> r.roleName(roleName)).role();
		String trust = URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8);
		assertThat(trust).contains("transfer.amazonaws.com", "aws:SourceAccount", AwsFixtures.ACCOUNT,
				"arn:aws:transfer:us-east-1:" + AwsFixtures.ACCOUNT + ":user/" + this.server + "/alice");
		IamPolicy rolePolicy = Policies
			.parseUrlEncoded(this.iam.getRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access"))
				.policyDocument());
		assertThat(rolePolicy.statements()).anySatisfy((statement) -> assertKmsStatement(statement, key));
		// user: role, chroot, session policy with the KMS statement, both keys
		DescribedUser user = describe("alice");
		assertThat(user.role()).isEqualTo(roleArn);
		assertThat(user.homeDirectoryType()).isEqualTo(HomeDirectoryType.LOGICAL);
		assertThat(user.homeDirectoryMappings()).singleElement().satisfies((mapping) -> {
			assertThat(mapping.entry()).isEqualTo("/");
			assertThat(mapping.target()).isEqualTo("/" + this.bucket + "/alice");
		});
		IamPolicy sessionPolicy = Policies.parse(user.policy());
		assertThat(sessionPolicy.statements()).anySatisfy((statement) -> assertKmsStatement(statement, key));
		assertThat(user.policy().length()).isLessThanOrEqualTo(2048);
		assertThat(user.sshPublicKeys()).extracting((k) -> k.sshPublicKeyBody())
			.containsExactlyInAnyOrder(TestKeys.ED25519_A, TestKeys.RSA_2048);
		// key policy untouched
		assertThat(this.aws.keyPolicy(key)).isEqualTo(keyPolicyBefore);

		Verification verification = this.engine.verify(spec);
		assertThat(verification.checks()).extracting(Check::resource)
			.containsExactly(ResourceKind.BUCKET_ENCRYPTION, ResourceKind.ROLE_POLICY, ResourceKind.SESSION_POLICY,
					ResourceKind.KEY_POLICY, ResourceKind.HOME_FOLDER, ResourceKind.TRANSFER_USER);
		assertThat(verification.checks())
			.allSatisfy((check) -> assertThat(check.status()).as(check.detail()).isEqualTo(CheckStatus.OK));
	}

	@Test
	void addsTheRoleToThePortalStatementAndPreservesEveryOtherStatement() {
		String key = this.aws.keyWithoutRootDelegation();
		IamPolicy original = Policies.parse(this.aws.keyPolicy(key));
		UserSpec spec = AwsFixtures.spec(this.server, "bob", this.bucket, key, TestKeys.ED25519_B);

		Plan plan = this.engine.plan(spec);
		PlannedChange keyChange = plan.change(ResourceKind.KEY_POLICY).orElseThrow();
		assertThat(keyChange.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(keyChange.diff()).contains("+    \"Sid\" : \"" + KeyPolicies.PORTAL_SID);
		apply(plan);

		IamPolicy patched = Policies.parse(this.aws.keyPolicy(key));
		String roleArn = plan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		assertThat(patched.id()).isEqualTo(original.id());
		assertThat(patched.statements()).hasSize(original.statements().size() + 1);
		assertThat(patched.statements().subList(0, original.statements().size())).isEqualTo(original.statements());
		IamStatement portal = patched.statements().get(original.statements().size());
		assertThat(portal.sid()).isEqualTo(KeyPolicies.PORTAL_SID);
		assertThat(portal.principals()).extracting((p) -> p.id()).containsExactly(roleArn);
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void replanAfterApplyHasNoChangesAndASecondApplyMakesNoWriteCall() {
		String key = this.aws.keyWithoutRootDelegation();
		UserSpec spec = AwsFixtures.spec(this.server, "carol", this.bucket, key, TestKeys.ED25519_C);
		Plan first = this.engine.plan(spec);
		apply(first);

		Plan replan = this.engine.plan(spec);
		assertThat(replan.hasChanges()).as(replan.changes().toString()).isFalse();
		assertThat(replan.fingerprint()).isNotEqualTo(first.fingerprint());
		assertThat(this.engine.plan(spec).fingerprint()).as("same input and state, same fingerprint")
			.isEqualTo(replan.fingerprint());

		this.recorder.reset();
		// the stale plan says CREATE everywhere
		ApplyResult again = apply(first);
		assertThat(again.wroteAnything()).isFalse();
		assertThat(this.recorder.calls()).isNotEmpty();
		assertThat(this.recorder.writes()).isEmpty();

		this.recorder.reset();
		ApplyResult unchanged = apply(replan);
		assertThat(unchanged.changes()).as("a plan without changes runs no step").isEmpty();
		assertThat(this.recorder.writes()).isEmpty();
		assertThat(unchanged.verification()).as("verified from the reads that checked the plan").satisfies((checks) -> {
			assertThat(checks).isNotNull();
			assertThat(checks.allOk()).as(checks.checks().toString()).isTrue();
		});
	}

	@Test
	void twentyUsersAppliedConcurrentlyOnOneKeyAreAllAllowedByTheKeyPolicy() throws Exception {
		String key = this.aws.keyWithoutRootDelegation();
		List<Plan> plans = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			plans.add(this.engine
				.plan(AwsFixtures.spec(this.server, "user" + i, this.bucket, key, TestKeys.newEcdsaKey("u" + i))));
		}
		ExecutorService pool = Executors.newFixedThreadPool(20);
		try {
			List<Future<ApplyResult>> results = new ArrayList<>();
			plans.forEach((plan) -> results.add(pool.submit(() -> apply(plan))));
			for (Future<ApplyResult> result : results) {
				assertThat(result.get().changes()).anyMatch((change) -> change.resource() == ResourceKind.KEY_POLICY
						&& change.outcome() == AppliedChange.Outcome.UPDATED);
			}
		}
		finally {
			pool.shutdown();
		}

		IamPolicy keyPolicy = Policies.parse(this.aws.keyPolicy(key));
		List<String> roles = plans.stream()
			.map((plan) -> plan.change(ResourceKind.ROLE).orElseThrow().resourceArn())
			.toList();
		for (String role : roles) {
			assertThat(KeyPolicies.allowsRole(keyPolicy, role, key)).as(role).isTrue();
		}
		assertThat(keyPolicy.statements()).filteredOn((s) -> KeyPolicies.PORTAL_SID.equals(s.sid()))
			.singleElement()
			.satisfies((statement) -> assertThat(statement.principals()).hasSize(20));
	}

	@Test
	void bucketEncryptedWithAnotherKeyIsAConflictAndNothingIsWritten() {
		String key = this.aws.rootDelegatingKey();
		String otherKey = this.aws.rootDelegatingKey();
		this.aws.encryptBucket(this.bucket, ServerSideEncryption.AWS_KMS, otherKey);
		UserSpec spec = AwsFixtures.spec(this.server, "dave", this.bucket, key, TestKeys.ED25519_A);
		this.recorder.reset();

		Plan plan = this.engine.plan(spec);

		assertThat(plan.isApplicable()).isFalse();
		assertThat(plan.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.resource()).isEqualTo(ResourceKind.BUCKET_ENCRYPTION);
			assertThat(problem.message()).contains("another KMS key", otherKey);
		});
		assertThatExceptionOfType(PlanNotApplicableException.class).isThrownBy(() -> apply(plan));
		assertThat(this.recorder.writes()).isEmpty();
		assertThatExceptionOfType(NoSuchEntityException.class)
			.isThrownBy(() -> this.iam.getRole((r) -> r.roleName(roleName(plan))));
	}

	@Test
	void sseS3BucketIsFlaggedAsAffectingAllNewObjects() {
		String key = this.aws.rootDelegatingKey();
		this.aws.encryptBucket(this.bucket, ServerSideEncryption.AES256, null);

		PlannedChange change = this.engine
			.plan(AwsFixtures.spec(this.server, "erin", this.bucket, key, TestKeys.ED25519_A))
			.change(ResourceKind.BUCKET_ENCRYPTION)
			.orElseThrow();

		assertThat(change.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(change.summary()).contains("SSE-S3 to SSE-KMS");
		assertThat(change.warnings()).singleElement().asString().contains("every new object");
	}

	@Test
	void roleAndSessionPolicyDriftIsReportedAndRepaired() {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.server, "frank", this.bucket, key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(spec);
		apply(plan);
		String roleName = roleName(plan);
		IamPolicy current = Policies
			.parseUrlEncoded(this.iam.getRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access"))
				.policyDocument());
		IamPolicy withoutKms = current.copy((b) -> b.statements(
				current.statements().stream().filter((s) -> !"KmsForBucketEncryption".equals(s.sid())).toList()));
		this.iam.putRolePolicy(
				(r) -> r.roleName(roleName).policyName("transfer-portal-access").policyDocument(withoutKms.toJson()));

		Check check = this.engine.verify(spec).check(ResourceKind.ROLE_POLICY);
		assertThat(check.status()).isEqualTo(CheckStatus.DRIFT);
		assertThat(check.detail()).contains("missing", "kms:Decrypt", key);

		Plan repair = this.engine.plan(spec);
		assertThat(repair.changes()).filteredOn((c) -> c.action() != ChangeAction.NONE)
			.extracting(PlannedChange::resource)
			.containsExactly(ResourceKind.ROLE_POLICY);
		ApplyResult repaired = apply(repair);
		assertThat(repaired.changes()).filteredOn(AppliedChange::wrote)
			.extracting(AppliedChange::resource, AppliedChange::outcome)
			.containsExactly(tuple(ResourceKind.ROLE_POLICY, AppliedChange.Outcome.UPDATED));
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void sessionPolicyDriftIsRepairedByOneUpdateUserCall() {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.server, "grace", this.bucket, key, TestKeys.ED25519_A);
		apply(this.engine.plan(spec));
		DescribedUser user = describe("grace");
		IamPolicy narrowed = IamPolicy.builder()
			.addStatement(Policies.parse(user.policy()).statements().get(0))
			.build();
		this.transfer.updateUser((r) -> r.serverId(this.server).userName("grace").policy(narrowed.toJson()));

		assertThat(this.engine.verify(spec).check(ResourceKind.SESSION_POLICY).status()).isEqualTo(CheckStatus.DRIFT);
		Plan repair = this.engine.plan(spec);
		assertThat(repair.change(ResourceKind.SESSION_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(repair.change(ResourceKind.TRANSFER_USER).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		this.recorder.reset();
		apply(repair);

		assertThat(this.recorder.writes()).containsExactly("Transfer:UpdateUser");
		DescribedUser repaired = describe("grace");
		assertThat(Policies.sameMeaning(Policies.parse(repaired.policy()), Policies.parse(user.policy()))).isTrue();
		assertThat(repaired.role()).isEqualTo(user.role());
		assertThat(repaired.homeDirectoryMappings()).isEqualTo(user.homeDirectoryMappings());
		assertThat(repaired.sshPublicKeys()).isEqualTo(user.sshPublicKeys());
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void removingOneOfTwoUsersSharingAKeyKeepsTheOtherHealthy() {
		String key = this.aws.keyWithoutRootDelegation();
		UserSpec first = AwsFixtures.spec(this.server, "henry", this.bucket, key, TestKeys.ED25519_A);
		UserSpec second = AwsFixtures.spec(this.server, "irene", this.bucket, key, TestKeys.ED25519_B);
		Plan firstPlan = this.engine.plan(first);
		apply(firstPlan);
		apply(this.engine.plan(second));

		Plan removal = this.engine.planRemoval(first, List.of(first, second));

		assertThat(removal.kind()).isEqualTo(Plan.Kind.REMOVE);
		assertThat(removal.changes()).extracting(PlannedChange::resource, PlannedChange::action)
			.containsExactly(tuple(ResourceKind.SESSION_POLICY, ChangeAction.DELETE),
					tuple(ResourceKind.TRANSFER_USER, ChangeAction.DELETE),
					tuple(ResourceKind.HOME_FOLDER, ChangeAction.NONE),
					tuple(ResourceKind.BUCKET_ENCRYPTION, ChangeAction.NONE),
					tuple(ResourceKind.KEY_POLICY, ChangeAction.UPDATE),
					tuple(ResourceKind.ROLE_POLICY, ChangeAction.DELETE),
					tuple(ResourceKind.ROLE, ChangeAction.DELETE));
		apply(removal);

		assertThatExceptionOfType(TransferException.class).isThrownBy(() -> describe("henry"));
		assertThatExceptionOfType(NoSuchEntityException.class)
			.isThrownBy(() -> this.iam.getRole((r) -> r.roleName(roleName(firstPlan))));
		IamPolicy keyPolicy = Policies.parse(this.aws.keyPolicy(key));
		assertThat(KeyPolicies.portalStatementLists(keyPolicy,
				firstPlan.change(ResourceKind.ROLE).orElseThrow().resourceArn()))
			.isFalse();
		assertThat(this.engine.verify(second).checks())
			.allSatisfy((check) -> assertThat(check.status()).as(check.resource() + ": " + check.detail())
				.isEqualTo(CheckStatus.OK));
		assertThat(this.s3.getBucketEncryption((r) -> r.bucket(this.bucket))
			.serverSideEncryptionConfiguration()
			.rules()
			.get(0)
			.applyServerSideEncryptionByDefault()
			.kmsMasterKeyID()).as("encryption stays on").isEqualTo(key);
	}

	@Test
	void usersSharingAnExistingRoleKeepItsKmsPolicyAndKeyAccessUntilTheLastOneGoes() {
		String key = this.aws.keyWithoutRootDelegation();
		String role = this.aws.existingRole();
		UserSpec first = withRole(AwsFixtures.spec(this.server, "jack", this.bucket, key, TestKeys.ED25519_A), role);
		UserSpec second = withRole(AwsFixtures.spec(this.server, "kate", this.bucket, key, TestKeys.ED25519_B), role);

		Plan plan = this.engine.plan(first);
		assertThat(plan.change(ResourceKind.ROLE).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		PlannedChange rolePolicy = plan.change(ResourceKind.ROLE_POLICY).orElseThrow();
		assertThat(rolePolicy.resourceArn())
			.endsWith("#transfer-portal-kms-" + key.substring(key.lastIndexOf('/') + 1));
		assertThat(Policies.sameMeaning(Policies.parse(rolePolicy.after()), TransferPolicies.kmsOnlyPolicy(key)))
			.isTrue();
		apply(plan);
		apply(this.engine.plan(second));

		Plan removeFirst = this.engine.planRemoval(first, List.of(second));
		assertThat(removeFirst.change(ResourceKind.KEY_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		assertThat(removeFirst.change(ResourceKind.ROLE_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		assertThat(removeFirst.change(ResourceKind.ROLE).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		apply(removeFirst);
		assertThat(this.engine.verify(second).allOk()).isTrue();

		Plan removeSecond = this.engine.planRemoval(second, List.of());
		assertThat(removeSecond.change(ResourceKind.KEY_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(removeSecond.change(ResourceKind.ROLE_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.DELETE);
		apply(removeSecond);
		String roleName = role.substring(role.lastIndexOf('/') + 1);
		assertThat(this.iam.getRole((r) -> r.roleName(roleName)).role().arn()).as("existing role is kept")
			.isEqualTo(role);
		assertThat(Policies.parse(this.aws.keyPolicy(key)).statements()).as("portal statement gone with its last role")
			.noneMatch((s) -> KeyPolicies.PORTAL_SID.equals(s.sid()));
	}

	@Test
	void sizeLimitsAreCheckedInThePlan() {
		String key = this.aws.rootDelegatingKey();
		String longPrefix = "deep/" + "a".repeat(500);
		UserSpec longHome = new UserSpec(this.server, "liam", this.bucket, longPrefix, key, List.of(TestKeys.ED25519_A),
				AccessLevel.READ_WRITE, null, Map.of());
		Plan plan = this.engine.plan(longHome);
		assertThat(plan.problems()).anySatisfy((problem) -> {
			assertThat(problem.resource()).isEqualTo(ResourceKind.SESSION_POLICY);
			assertThat(problem.message()).contains("2048");
		});

		IamPolicy padded = AwsFixtures.nonDelegatingPolicy();
		for (int i = 0; i < 200; i++) {
			int n = i;
			padded = padded.copy((b) -> b.addStatement((s) -> s.sid("Padding" + n)
				.effect("Allow")
				.addPrincipal("AWS", "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/padding-role-with-a-long-name-" + n)
				.addAction("kms:DescribeKey")
				.addResource("*")));
		}
		String bigKey = this.aws.keyWithPolicy(padded.toJson());
		Plan bigPlan = this.engine.plan(AwsFixtures.spec(this.server, "mia", this.bucket, bigKey, TestKeys.ED25519_A));
		assertThat(bigPlan.problems()).anySatisfy((problem) -> {
			assertThat(problem.resource()).isEqualTo(ResourceKind.KEY_POLICY);
			assertThat(problem.message()).contains("32768");
		});
	}

	private static UserSpec withRole(UserSpec spec, String roleArn) {
		return new UserSpec(spec.serverId(), spec.userName(), spec.bucket(), spec.homePrefix(), spec.kmsKeyArn(),
				spec.sshPublicKeys(), spec.accessLevel(), roleArn, spec.tags());
	}

	private DescribedUser describe(String userName) {
		return this.transfer.describeUser((r) -> r.serverId(this.server).userName(userName)).user();
	}

	@Test
	void aBucketSwitchedToAnotherKeyAfterApprovalStopsTheRunBeforeTheBucketIsWritten() {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.server, "kate", this.bucket, key, TestKeys.ED25519_A);
		Plan approved = this.engine.plan(spec);
		this.aws.encryptBucket(this.bucket, ServerSideEncryption.AWS_KMS, this.aws.rootDelegatingKey());

		this.recorder.reset();
		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> apply(approved))
			.withMessageContaining("another KMS key")
			.withMessageContaining("nothing written");
		// the bucket and the key are checked again before the first write: the run stops
		// with nothing written
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void aResourceThatChangedBeyondTheApprovedChangeIsNotWritten() {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.server, "liam", this.bucket, key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(spec);
		apply(plan);
		String roleName = roleName(plan);
		this.iam.putRolePolicy((r) -> r.roleName(roleName)
			.policyName("transfer-portal-access")
			.policyDocument(TransferPolicies.kmsOnlyPolicy(key).toJson()));
		Plan repair = this.engine.plan(spec);
		assertThat(repair.change(ResourceKind.ROLE_POLICY).orElseThrow().action()).isEqualTo(ChangeAction.UPDATE);
		String otherDrift = TransferPolicies.kmsOnlyPolicy(this.aws.rootDelegatingKey()).toJson();
		this.iam
			.putRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access").policyDocument(otherDrift));

		this.recorder.reset();
		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> apply(repair))
			.withMessageContaining("changed after the plan was approved");
		assertThat(this.recorder.writes()).isEmpty();
		assertThat(Policies.sameMeaning(Policies
			.parseUrlEncoded(this.iam.getRolePolicy((r) -> r.roleName(roleName).policyName("transfer-portal-access"))
				.policyDocument()), Policies.parse(otherDrift)))
			.isTrue();
	}

	@Test
	void aRoleCreatedByARacingRunBetweenReadAndWriteIsTakenAsItIsWhenItIsWhatWasApproved() {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.server, "mona", this.bucket, key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(spec);
		String roleName = roleName(plan);
		this.recorder.reset();
		String trust = TransferPolicies
			.trustPolicy(AwsFixtures.ACCOUNT,
					"arn:aws:transfer:us-east-1:" + AwsFixtures.ACCOUNT + ":user/" + this.server + "/mona")
			.toJson();
		// the role appears after the engine read it and before its CreateRole: AWS
		// answers EntityAlreadyExists
		this.recorder.beforeNext("CreateRole",
				() -> this.iam.createRole((r) -> r.roleName(roleName)
					.path("/transfer-portal/")
					.assumeRolePolicyDocument(trust)
					// as the racing run of the portal tags it
					.tags((tag) -> tag.key(Target.MANAGED_TAG).value(Target.MANAGED_TAG_VALUE),
							(tag) -> tag.key("transfer-portal:server").value(this.server),
							(tag) -> tag.key("transfer-portal:user").value("mona"),
							(tag) -> tag.key("team").value("payments"))));

		ApplyResult result = apply(plan);

		assertThat(result.changes()).filteredOn((change) -> change.resource() == ResourceKind.ROLE)
			.singleElement()
			.satisfies((change) -> assertThat(change.outcome()).isEqualTo(AppliedChange.Outcome.UNCHANGED));
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void aPlanReadsTheServerTheKeyAndItsPolicyOnceThoughItsInputChecksReadThemToo() {
		String key = this.aws.keyWithoutRootDelegation();
		UserSpec spec = AwsFixtures.spec(this.server, "nora", this.bucket, key, TestKeys.ED25519_A);
		this.recorder.reset();

		this.engine.plan(spec);

		assertThat(this.recorder.calls()).filteredOn((call) -> call.equals("Kms:DescribeKey")).hasSize(1);
		assertThat(this.recorder.calls()).filteredOn((call) -> call.equals("Kms:GetKeyPolicy")).hasSize(1);
		assertThat(this.recorder.calls()).filteredOn((call) -> call.equals("Transfer:DescribeServer")).hasSize(1);
	}

	/**
	 * A first attempt creates without reading what the plan found absent (the create
	 * calls refuse what exists), and its verification comes from what it read and wrote:
	 * nothing it created is read back, not even the Transfer user, whose SSH keys are
	 * dated when the run wrote them (no later than AWS dates them).
	 */
	@Test
	void aFirstAttemptCreatesWithoutReadingAndIsVerifiedFromItsWrites() {
		String key = this.aws.rootDelegatingKey();
		String bucket = this.aws.bucketEncryptedWith(key);
		UserSpec spec = AwsFixtures.spec(this.server, AwsFixtures.unique("first"), bucket, key, TestKeys.ED25519_A,
				TestKeys.ED25519_B);
		Plan plan = this.engine.plan(spec);

		this.recorder.reset();
		Instant before = Instant.now();
		ApplyResult result = this.engine.apply(plan, ProvisioningEngine.Attempt.FIRST, ProvisioningListener.NONE);

		assertThat(this.recorder.writes()).containsExactly("Iam:CreateRole", "Iam:PutRolePolicy", "S3:PutObject",
				"Transfer:CreateUser", "Transfer:ImportSshPublicKey");
		assertThat(this.recorder.calls())
			.filteredOn((call) -> AwsCallRecorder.READ.matcher(call.split(":")[1]).matches())
			.as("the unchanged bucket and key checked before writing, nothing read back after")
			.doesNotContain("Iam:GetRole", "Iam:ListRolePolicies", "S3:HeadObject", "Transfer:DescribeUser");
		Verification read = this.engine.verify(spec);
		assertThat(read.allOk()).as("the same as a verification that reads everything").isTrue();
		assertThat(read.sshKeys()).isNotNull();
		assertThat(result.verification()).isNotNull().satisfies((verification) -> {
			assertThat(verification.allOk()).as(verification.checks().toString()).isTrue();
			assertThat(verification.sshKeys()).isNotNull().satisfies((keys) -> {
				assertThat(keys.count()).isEqualTo(read.sshKeys().count()).isEqualTo(2);
				// moto dates keys to the second; the run's date is taken as it writes
				assertThat(keys.oldestImportedAt()).isAfterOrEqualTo(before)
					.isCloseTo(read.sshKeys().oldestImportedAt(), within(1, ChronoUnit.MINUTES));
			});
		});
	}

	/**
	 * An object at the home folder's key that appeared after the plan is kept: the marker
	 * is written only if none exists (If-None-Match), and the run then finds it there.
	 */
	@Test
	void aFirstAttemptNeverOverwritesAnObjectThatAppearedAtTheHomeFolder() {
		String key = this.aws.rootDelegatingKey();
		String bucket = this.aws.bucketEncryptedWith(key);
		String user = AwsFixtures.unique("marker");
		UserSpec spec = AwsFixtures.spec(this.server, user, bucket, key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(spec);
		assertThat(plan.change(ResourceKind.HOME_FOLDER).orElseThrow().action()).isEqualTo(ChangeAction.CREATE);
		this.s3.putObject((r) -> r.bucket(bucket).key(user + "/"), RequestBody.fromString("someone's notes"));

		ApplyResult result = this.engine.apply(plan, ProvisioningEngine.Attempt.FIRST, ProvisioningListener.NONE);

		assertThat(result.changes()).filteredOn((change) -> change.resource() == ResourceKind.HOME_FOLDER)
			.singleElement()
			.satisfies((change) -> assertThat(change.outcome()).isEqualTo(AppliedChange.Outcome.UNCHANGED));
		assertThat(this.s3.getObjectAsBytes((r) -> r.bucket(bucket).key(user + "/")).asUtf8String())
			.isEqualTo("someone's notes");
		assertThat(result.verification()).isNotNull()
			.satisfies((verification) -> assertThat(verification.allOk()).isTrue());
	}

	private ApplyResult apply(Plan plan) {
		return this.engine.apply(plan, ProvisioningListener.NONE);
	}

	private static String roleName(Plan plan) {
		String arn = plan.change(ResourceKind.ROLE).orElseThrow().resourceArn();
		return arn.substring(arn.lastIndexOf('/') + 1);
	}

	private static void assertKmsStatement(IamStatement statement, String key) {
		assertThat(statement.actions()).extracting((a) -> a.value())
			.containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
		assertThat(statement.resources()).extracting((r) -> r.value()).containsExactly(key);
	}

}
