package io.transferportal.realaws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.InvalidRequestException;
import software.amazon.awssdk.services.transfer.model.Protocol;
import software.amazon.awssdk.services.transfer.model.State;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.ApplyResult;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningListener;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.AwsAccount;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.Targets;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The check a platform team runs once before adopting the portal: the engine's whole life
 * cycle of a Transfer user, on resources the scenario creates with unique names and
 * removes again.
 * <p>
 * Written once and run twice: against moto_server in every build
 * ({@code RealAwsScenarioTests}), so this code never rots, and against a real account on
 * demand ({@code RealAwsTests}, see {@code docs/real-aws-test.md}).
 * <p>
 * Steps: create a bucket, a symmetric KMS key whose policy does not delegate key use to
 * the account (so the portal must patch it) and a Transfer server (unless an existing one
 * is named); plan, apply and read the AWS state back with the SDK; verify; apply again
 * and see nothing written; do the same for a second user on an existing role; remove both
 * users and read back that what the portal created is gone. Every read-back waits with a
 * generous ceiling, since IAM, KMS and S3 configuration are eventually consistent on AWS.
 * {@link #cleanUp()} removes whatever the scenario created, each step on its own.
 */
public class RealAwsScenario {

	/**
	 * Tag on everything the scenario creates (value: the run id), to find leftovers.
	 */
	public static final String RUN_TAG = "transfer-portal-test-run";

	private static final Logger logger = LoggerFactory.getLogger(RealAwsScenario.class);

	/** Far above what AWS usually needs (seconds), so a slow region never fails a run. */
	private static final Duration READ_BACK_CEILING = Duration.ofMinutes(5);

	/** Creating a server takes minutes on AWS; deleting one waits until it may be. */
	private static final Duration SERVER_CEILING = Duration.ofMinutes(20);

	private final ProvisioningEngine engine;

	private final Targets targets;

	private final AwsAccount account;

	private final AwsCallRecorder recorder;

	private final S3Client s3;

	private final IamClient iam;

	private final KmsClient kms;

	private final TransferClient transfer;

	private final @Nullable String existingServerId;

	private final String existingRolePath;

	private final String runId = "rt" + Integer.toHexString(new SecureRandom().nextInt() | 0x10000000);

	/** What to undo, the last created first. */
	private final Deque<CleanupStep> cleanups = new ArrayDeque<>();

	private @Nullable String serverId;

	private @Nullable String bucket;

	private @Nullable String keyArn;

	/**
	 * @param properties the portal's settings: the existing role is created under the
	 * first of the IAM paths it accepts existing roles from
	 * @param existingServerId a Transfer server to add the test users to instead of
	 * creating one (it is left in place)
	 */
	public RealAwsScenario(ProvisioningEngine engine, Targets targets, ProvisioningProperties properties,
			AwsAccount account, AwsCallRecorder recorder, S3Client s3, IamClient iam, KmsClient kms,
			TransferClient transfer, @Nullable String existingServerId) {
		this.engine = engine;
		this.targets = targets;
		this.account = account;
		this.recorder = recorder;
		this.s3 = s3;
		this.iam = iam;
		this.kms = kms;
		this.transfer = transfer;
		this.existingServerId = existingServerId;
		if (properties.existingRolePaths().isEmpty()) {
			throw new IllegalArgumentException("portal.provisioning.existing-role-paths is empty; the scenario needs "
					+ "one path to create its existing role under");
		}
		this.existingRolePath = properties.existingRolePaths().get(0);
	}

	public String runId() {
		return this.runId;
	}

	/** The Transfer server used, once set up. */
	public @Nullable String serverId() {
		return this.serverId;
	}

	/** The bucket created, once set up. */
	public @Nullable String bucket() {
		return this.bucket;
	}

	/** The IAM path of the existing role the scenario creates. */
	public String existingRolePath() {
		return this.existingRolePath;
	}

	/** The KMS key created, once set up. */
	public @Nullable String keyArn() {
		return this.keyArn;
	}

	/**
	 * Runs the scenario, then cleans up whatever happened. A failure of the scenario is
	 * the one reported (a failed clean-up is attached to it); a clean-up failure after a
	 * passing scenario fails too, naming what is left.
	 */
	public void runAndCleanUp() {
		try {
			run();
		}
		catch (RuntimeException | Error ex) {
			try {
				cleanUp();
			}
			catch (RuntimeException cleanupFailure) {
				ex.addSuppressed(cleanupFailure);
			}
			throw ex;
		}
		cleanUp();
	}

	/** The whole scenario; call {@link #cleanUp()} afterwards whatever happens. */
	public void run() {
		logger.info("Real-AWS scenario {} in account {}, region {}", this.runId, this.account.accountId(),
				this.account.region());
		createResources();
		UserSpec dedicated = spec(this.runId + "-dedicated", null);
		Target first = provisionWithDedicatedRole(dedicated);
		UserSpec onExisting = spec(this.runId + "-existing", createExistingRole());
		Target second = provisionOnExistingRole(onExisting, first);
		removeDedicated(dedicated, first, onExisting, second);
		removeOnExisting(onExisting, second);
		logger.info("Real-AWS scenario {} passed", this.runId);
	}

	// --- set-up -------------------------------------------------------------------

	private void createResources() {
		String bucketName = "transfer-portal-test-" + this.runId;
		this.s3.createBucket((request) -> {
			request.bucket(bucketName);
			// us-east-1 is the one region that takes no location constraint
			if (!Region.US_EAST_1.id().equals(this.account.region())) {
				request.createBucketConfiguration((config) -> config.locationConstraint(this.account.region()));
			}
		});
		this.bucket = bucketName;
		this.cleanups.push(new CleanupStep("empty and delete bucket " + bucketName, () -> deleteBucket(bucketName)));
		this.s3.putBucketTagging((request) -> request.bucket(bucketName)
			.tagging((tagging) -> tagging.tagSet((tag) -> tag.key(RUN_TAG).value(this.runId))));

		String key = this.kms
			.createKey((request) -> request.description("Transfer Portal real-AWS test " + this.runId)
				.keySpec(KeySpec.SYMMETRIC_DEFAULT)
				.keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
				.policy(keyPolicy().toJson())
				.tags((tag) -> tag.tagKey(RUN_TAG).tagValue(this.runId)))
			.keyMetadata()
			.arn();
		this.keyArn = key;
		// by id: AWS takes an ARN too, moto only an id; 7 days is the shortest window
		String keyId = key.substring(key.lastIndexOf('/') + 1);
		this.cleanups.push(new CleanupStep("schedule deletion of KMS key " + key,
				() -> this.kms.scheduleKeyDeletion((request) -> request.keyId(keyId).pendingWindowInDays(7))));

		if (this.existingServerId != null) {
			this.serverId = this.existingServerId;
		}
		else {
			String server = this.transfer
				.createServer((request) -> request.identityProviderType(IdentityProviderType.SERVICE_MANAGED)
					.protocols(Protocol.SFTP)
					.tags((tag) -> tag.key(RUN_TAG).value(this.runId)))
				.serverId();
			this.serverId = server;
			this.cleanups.push(new CleanupStep("delete Transfer server " + server, () -> deleteServer(server)));
			logger.info("Created Transfer server {}; waiting until it is online", server);
			waitFor(SERVER_CEILING, "Transfer server " + server + " online")
				.failFast("Transfer server " + server + " failed to start",
						() -> serverState(server) == State.START_FAILED)
				.until(() -> serverState(server) == State.ONLINE);
		}
		logger.info("Scenario {}: bucket {}, key {}, server {}", this.runId, this.bucket, this.keyArn, this.serverId);
	}

	/**
	 * A key policy that lets the account administer the key through IAM but not use it
	 * for Transfer: no statement delegates both Decrypt and GenerateDataKey to the
	 * account, so the portal has to add its own statement (the harder case), and whoever
	 * runs the test (or any account administrator) can still delete the key.
	 * GenerateDataKey alone is delegated because the portal's own identity writes the
	 * home folder marker into the SSE-KMS bucket.
	 */
	private IamPolicy keyPolicy() {
		String root = "arn:" + this.account.partition() + ":iam::" + this.account.accountId() + ":root";
		return IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.sid("AccountAdministersTheKey")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, root)
				.addAction("kms:PutKeyPolicy")
				.addAction("kms:TagResource")
				.addAction("kms:UntagResource")
				.addAction("kms:ScheduleKeyDeletion")
				.addAction("kms:CancelKeyDeletion")
				.addAction("kms:DisableKey")
				.addResource("*")
				.build())
			.addStatement(IamStatement.builder()
				.sid("AccountReadsTheKey")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, root)
				.addAction("kms:Describe*")
				.addAction("kms:Get*")
				.addAction("kms:List*")
				.addResource("*")
				.build())
			.addStatement(IamStatement.builder()
				.sid("AccountWritesObjectsWithTheKey")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, root)
				.addAction("kms:GenerateDataKey")
				.addResource("*")
				.build())
			.build();
	}

	private String createExistingRole() {
		String name = "transfer-portal-test-" + this.runId;
		String trust = IamPolicy.builder()
			.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
				.addAction("sts:AssumeRole"))
			.build()
			.toJson();
		String arn = this.iam
			.createRole((request) -> request.roleName(name)
				.path(this.existingRolePath)
				.assumeRolePolicyDocument(trust)
				.description("Transfer Portal real-AWS test " + this.runId + ": a role the platform team already has")
				.tags((tag) -> tag.key(RUN_TAG).value(this.runId)))
			.role()
			.arn();
		this.cleanups.push(new CleanupStep("delete role " + name, () -> deleteRole(name)));
		// a role just created may not be visible to every IAM reader yet
		waitFor(READ_BACK_CEILING, "role " + name + " readable").untilAsserted(
				() -> assertThat(this.iam.getRole((request) -> request.roleName(name)).role().arn()).isEqualTo(arn));
		return arn;
	}

	private UserSpec spec(String userName, @Nullable String roleArn) {
		return new UserSpec(this.serverId, userName, this.bucket, null, this.keyArn, List.of(TestKeys.ED25519_A),
				AccessLevel.READ_WRITE, roleArn, Map.of(RUN_TAG, this.runId));
	}

	// --- first user: dedicated role -----------------------------------------------

	private Target provisionWithDedicatedRole(UserSpec spec) {
		Target target = this.targets.resolve(spec);
		readBack("server offered for requests",
				() -> assertThat(this.engine.transferServers()).contains(this.serverId));
		// registered before anything exists: a run stopped half-way leaves no orphan
		this.cleanups.push(new CleanupStep("delete Transfer user " + spec.userName(), () -> deleteUser(spec)));
		this.cleanups.push(new CleanupStep("delete role " + target.roleName(), () -> deleteRole(target.roleName())));

		Plan plan = this.engine.plan(spec);

		assertThat(plan.problems()).isEmpty();
		// a new bucket has no default encryption on moto and SSE-S3 on AWS: CREATE or
		// UPDATE
		assertThat(action(plan, ResourceKind.BUCKET_ENCRYPTION)).isNotEqualTo(ChangeAction.NONE);
		assertThat(action(plan, ResourceKind.ROLE)).isEqualTo(ChangeAction.CREATE);
		assertThat(action(plan, ResourceKind.ROLE_POLICY)).isEqualTo(ChangeAction.CREATE);
		assertThat(action(plan, ResourceKind.KEY_POLICY)).as("the key does not delegate to the account")
			.isEqualTo(ChangeAction.UPDATE);
		assertThat(action(plan, ResourceKind.SESSION_POLICY)).isEqualTo(ChangeAction.CREATE);
		assertThat(action(plan, ResourceKind.HOME_FOLDER)).as("a new server does not optimise directory listing")
			.isEqualTo(ChangeAction.CREATE);
		assertThat(action(plan, ResourceKind.TRANSFER_USER)).isEqualTo(ChangeAction.CREATE);

		ApplyResult result = apply(plan);

		assertThat(outcome(result, ResourceKind.ROLE)).isEqualTo(AppliedChange.Outcome.CREATED);
		assertThat(outcome(result, ResourceKind.KEY_POLICY)).isEqualTo(AppliedChange.Outcome.UPDATED);
		assertThat(outcome(result, ResourceKind.TRANSFER_USER)).isEqualTo(AppliedChange.Outcome.CREATED);
		readBack("bucket encryption", this::assertBucketEncryption);
		readBack("dedicated role", () -> assertDedicatedRole(target));
		readBack("role policy", () -> assertRolePolicy(target));
		readBack("key policy",
				() -> assertThat(KeyPolicies.portalStatementLists(keyPolicyNow(), target.roleArn()))
					.as("portal statement lists " + target.roleArn())
					.isTrue());
		readBack("home folder marker", () -> assertFolderMarker(target));
		readBack("Transfer user", () -> assertTransferUser(target));
		assertVerifiedOk(spec);
		assertSecondApplyWritesNothing(spec, plan, target);
		return target;
	}

	private void assertSecondApplyWritesNothing(UserSpec spec, Plan applied, Target target) {
		readBack("a new plan without changes", () -> assertThat(this.engine.plan(spec).changes())
			.allSatisfy((change) -> assertThat(change.action()).as(change.summary()).isEqualTo(ChangeAction.NONE)));
		this.recorder.reset();
		// the stale plan still says CREATE everywhere: everything is re-read and left
		// alone
		ApplyResult again = apply(applied);
		assertThat(again.wroteAnything()).as(again.changes().toString()).isFalse();
		assertThat(this.recorder.callsAbout(this.serverId, this.bucket, target.keyId(), target.roleName()))
			.as("calls of the second apply")
			.isNotEmpty()
			.allSatisfy((call) -> assertThat(call).matches("\\w+:" + AwsCallRecorder.READ.pattern()));
	}

	// --- second user: an existing role --------------------------------------------

	private Target provisionOnExistingRole(UserSpec spec, Target first) {
		Target target = this.targets.resolve(spec);
		this.cleanups.push(new CleanupStep("delete Transfer user " + spec.userName(), () -> deleteUser(spec)));

		Plan plan = this.engine.plan(spec);

		assertThat(plan.problems()).isEmpty();
		assertThat(action(plan, ResourceKind.BUCKET_ENCRYPTION)).as("already set for the first user")
			.isEqualTo(ChangeAction.NONE);
		assertThat(action(plan, ResourceKind.ROLE)).as("an existing role is used as it is")
			.isEqualTo(ChangeAction.NONE);
		assertThat(action(plan, ResourceKind.ROLE_POLICY)).isEqualTo(ChangeAction.CREATE);
		assertThat(action(plan, ResourceKind.KEY_POLICY)).isEqualTo(ChangeAction.UPDATE);
		assertThat(action(plan, ResourceKind.HOME_FOLDER)).isEqualTo(ChangeAction.CREATE);
		assertThat(action(plan, ResourceKind.TRANSFER_USER)).isEqualTo(ChangeAction.CREATE);

		apply(plan);

		readBack("home folder marker", () -> assertFolderMarker(target));
		readBack("inline policy on the existing role", () -> assertRolePolicy(target));
		readBack("key policy", () -> {
			IamPolicy keyPolicy = keyPolicyNow();
			assertThat(KeyPolicies.portalStatementLists(keyPolicy, target.roleArn())).as(target.roleArn()).isTrue();
			assertThat(KeyPolicies.portalStatementLists(keyPolicy, first.roleArn())).as(first.roleArn()).isTrue();
		});
		readBack("Transfer user", () -> assertTransferUser(target));
		assertVerifiedOk(spec);
		return target;
	}

	// --- removal ------------------------------------------------------------------

	private void removeDedicated(UserSpec spec, Target target, UserSpec other, Target otherTarget) {
		Plan removal = this.engine.planRemoval(spec, List.of(other));

		assertThat(removal.problems()).isEmpty();
		assertThat(action(removal, ResourceKind.TRANSFER_USER)).isEqualTo(ChangeAction.DELETE);
		assertThat(action(removal, ResourceKind.ROLE)).isEqualTo(ChangeAction.DELETE);
		assertThat(action(removal, ResourceKind.ROLE_POLICY)).isEqualTo(ChangeAction.DELETE);
		assertThat(action(removal, ResourceKind.KEY_POLICY)).isEqualTo(ChangeAction.UPDATE);
		assertThat(action(removal, ResourceKind.BUCKET_ENCRYPTION)).as("encryption is never turned off")
			.isEqualTo(ChangeAction.NONE);
		assertThat(action(removal, ResourceKind.HOME_FOLDER)).as("the user's files and folder are kept")
			.isEqualTo(ChangeAction.NONE);

		apply(removal);

		readBack("user gone", () -> assertNotFound(() -> describeUser(target)));
		readBack("dedicated role gone",
				() -> assertNotFound(() -> this.iam.getRole((request) -> request.roleName(target.roleName()))));
		readBack("key policy without the removed role", () -> {
			IamPolicy keyPolicy = keyPolicyNow();
			assertThat(keyPolicy.toJson()).doesNotContain(target.roleArn());
			assertThat(KeyPolicies.portalStatementLists(keyPolicy, otherTarget.roleArn()))
				.as("the other user's role stays")
				.isTrue();
		});
		readBack("bucket encryption kept", this::assertBucketEncryption);
		readBack("home folder kept", () -> assertFolderMarker(target));
	}

	private void removeOnExisting(UserSpec spec, Target target) {
		Plan removal = this.engine.planRemoval(spec, List.of());

		assertThat(removal.problems()).isEmpty();
		assertThat(action(removal, ResourceKind.TRANSFER_USER)).isEqualTo(ChangeAction.DELETE);
		assertThat(action(removal, ResourceKind.ROLE)).as("an existing role is never deleted")
			.isEqualTo(ChangeAction.NONE);
		assertThat(action(removal, ResourceKind.ROLE_POLICY)).isEqualTo(ChangeAction.DELETE);
		assertThat(action(removal, ResourceKind.KEY_POLICY)).isEqualTo(ChangeAction.UPDATE);

		apply(removal);

		readBack("user gone", () -> assertNotFound(() -> describeUser(target)));
		readBack("existing role kept, without the portal's policy", () -> {
			assertThat(this.iam.getRole((request) -> request.roleName(target.roleName())).role().arn())
				.isEqualTo(target.roleArn());
			assertThat(this.iam.listRolePolicies((request) -> request.roleName(target.roleName())).policyNames())
				.doesNotContain(target.rolePolicyName());
		});
		readBack("key policy without the portal's statement", () -> assertThat(keyPolicyNow().statements())
			.noneMatch((statement) -> KeyPolicies.PORTAL_SID.equals(statement.sid())));
	}

	// --- read-backs ---------------------------------------------------------------

	private void assertBucketEncryption() {
		ServerSideEncryptionRule rule = this.s3.getBucketEncryption((request) -> request.bucket(this.bucket))
			.serverSideEncryptionConfiguration()
			.rules()
			.get(0);
		ServerSideEncryptionByDefault byDefault = rule.applyServerSideEncryptionByDefault();
		assertThat(byDefault.sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
		assertThat(byDefault.kmsMasterKeyID()).isEqualTo(this.keyArn);
		assertThat(rule.bucketKeyEnabled()).as("S3 Bucket Key").isTrue();
	}

	/**
	 * A zero-byte object {@code prefix/}, encrypted by the bucket default with the key.
	 */
	private void assertFolderMarker(Target target) {
		HeadObjectResponse marker = this.s3
			.headObject((request) -> request.bucket(this.bucket).key(target.homePrefix() + "/"));
		assertThat(marker.contentLength()).isZero();
		assertThat(marker.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
		assertThat(marker.ssekmsKeyId()).isEqualTo(this.keyArn);
	}

	private void assertDedicatedRole(Target target) {
		Role role = this.iam.getRole((request) -> request.roleName(target.roleName())).role();
		assertThat(role.arn()).isEqualTo(target.roleArn());
		assertThat(role.path()).isEqualTo(target.rolePath());
		assertThat(role.tags()).anySatisfy((tag) -> {
			assertThat(tag.key()).isEqualTo(Target.MANAGED_TAG);
			assertThat(tag.value()).isEqualTo(Target.MANAGED_TAG_VALUE);
		});
		String trust = URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8);
		assertThat(trust).contains("transfer.amazonaws.com", "aws:SourceAccount", "aws:SourceArn", target.userArn());
	}

	private void assertRolePolicy(Target target) {
		IamPolicy policy = Policies.parseUrlEncoded(this.iam
			.getRolePolicy((request) -> request.roleName(target.roleName()).policyName(target.rolePolicyName()))
			.policyDocument());
		assertThat(policy.statements()).anySatisfy(this::assertKmsStatement);
		assertThat(Policies.sameMeaning(policy, target.rolePolicy())).as(Policies.pretty(policy)).isTrue();
	}

	private void assertTransferUser(Target target) {
		DescribedUser user = describeUser(target);
		assertThat(user.role()).isEqualTo(target.roleArn());
		assertThat(user.homeDirectoryType()).isEqualTo(HomeDirectoryType.LOGICAL);
		assertThat(user.homeDirectoryMappings()).singleElement().satisfies((mapping) -> {
			assertThat(mapping.entry()).isEqualTo("/");
			assertThat(mapping.target()).isEqualTo(target.homeTarget());
		});
		IamPolicy sessionPolicy = Policies.parse(user.policy());
		assertThat(sessionPolicy.statements()).anySatisfy(this::assertKmsStatement);
		assertThat(user.policy().length()).as("session policy size").isLessThanOrEqualTo(2048);
		// compared by the key material: AWS may drop the comment
		String keyMaterial = TestKeys.ED25519_A.split(" ")[1];
		assertThat(user.sshPublicKeys()).singleElement()
			.satisfies((key) -> assertThat(key.sshPublicKeyBody()).contains(keyMaterial));
		assertThat(user.tags()).anySatisfy((tag) -> {
			assertThat(tag.key()).isEqualTo(RUN_TAG);
			assertThat(tag.value()).isEqualTo(this.runId);
		});
	}

	private void assertKmsStatement(IamStatement statement) {
		assertThat(statement.effect()).isEqualTo(IamEffect.ALLOW);
		assertThat(statement.actions()).extracting((action) -> action.value())
			.containsAll(TransferPolicies.KMS_ACTIONS);
		assertThat(statement.resources()).extracting((resource) -> resource.value()).containsExactly(this.keyArn);
	}

	private void assertVerifiedOk(UserSpec spec) {
		readBack("verification of " + spec.userName(),
				() -> assertThat(this.engine.verify(spec).checks())
					.allSatisfy((Check check) -> assertThat(check.status()).as(check.resource() + ": " + check.detail())
						.isEqualTo(CheckStatus.OK)));
	}

	private IamPolicy keyPolicyNow() {
		return Policies
			.parse(this.kms.getKeyPolicy((request) -> request.keyId(this.keyArn).policyName("default")).policy());
	}

	private DescribedUser describeUser(Target target) {
		return this.transfer.describeUser((request) -> request.serverId(target.serverId()).userName(target.userName()))
			.user();
	}

	private ApplyResult apply(Plan plan) {
		return this.engine.apply(plan, ProvisioningListener.NONE);
	}

	private static ChangeAction action(Plan plan, ResourceKind resource) {
		return plan.change(resource).map(PlannedChange::action).orElseThrow();
	}

	private static AppliedChange.Outcome outcome(ApplyResult result, ResourceKind resource) {
		return result.changes()
			.stream()
			.filter((change) -> change.resource() == resource)
			.map(AppliedChange::outcome)
			.findFirst()
			.orElseThrow();
	}

	private void readBack(String what, ThrowingRunnable assertion) {
		waitFor(READ_BACK_CEILING, what).untilAsserted(assertion);
	}

	/**
	 * Checks at once, then every two seconds: immediate on moto, gentle on AWS. SDK
	 * errors (e.g. a role not yet visible) count as "not yet"; the last one is reported
	 * at the ceiling.
	 */
	private static ConditionFactory waitFor(Duration ceiling, String what) {
		return await(what).pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofSeconds(2))
			.atMost(ceiling)
			.ignoreExceptions();
	}

	// --- clean-up -----------------------------------------------------------------

	/**
	 * Removes everything the scenario created, the last created first. Each step runs
	 * whatever the others did, and failures are logged and reported together at the end
	 * (with the run id, the tag value to look for).
	 * @throws IllegalStateException naming what could not be removed
	 */
	public void cleanUp() {
		List<String> left = new ArrayList<>();
		while (!this.cleanups.isEmpty()) {
			CleanupStep step = this.cleanups.pop();
			try {
				step.action().run();
				logger.info("Clean-up {}: {}", this.runId, step.description());
			}
			catch (RuntimeException ex) {
				logger.warn("Clean-up {} failed: {}: {}", this.runId, step.description(), ex.getMessage());
				left.add(step.description() + " (" + ex.getMessage() + ")");
			}
		}
		if (!left.isEmpty()) {
			throw new IllegalStateException("Clean-up of run " + this.runId + " left resources behind (tag " + RUN_TAG
					+ "=" + this.runId + "): " + String.join("; ", left));
		}
	}

	private void deleteUser(UserSpec spec) {
		ignoreNotFound(() -> this.transfer
			.deleteUser((request) -> request.serverId(spec.serverId()).userName(spec.userName())));
	}

	/** Inline and attached policies first: IAM refuses to delete a role that has any. */
	private void deleteRole(String name) {
		ignoreNotFound(() -> {
			for (String policy : this.iam.listRolePolicies((request) -> request.roleName(name)).policyNames()) {
				this.iam.deleteRolePolicy((request) -> request.roleName(name).policyName(policy));
			}
			this.iam.listAttachedRolePolicies((request) -> request.roleName(name))
				.attachedPolicies()
				.forEach((attached) -> this.iam
					.detachRolePolicy((request) -> request.roleName(name).policyArn(attached.policyArn())));
			this.iam.deleteRole((request) -> request.roleName(name));
		});
	}

	private State serverState(String server) {
		return this.transfer.describeServer((request) -> request.serverId(server)).server().state();
	}

	/**
	 * A server in a passing state (starting, stopping) may refuse deletion, so that
	 * refusal is retried until the ceiling; any other error fails the step at once.
	 * Deleting a server deletes its users too.
	 */
	private void deleteServer(String server) {
		await("Transfer server " + server + " deleted").pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofSeconds(15))
			.atMost(SERVER_CEILING)
			.ignoreExceptionsInstanceOf(InvalidRequestException.class)
			.until(() -> {
				ignoreNotFound(() -> this.transfer.deleteServer((request) -> request.serverId(server)));
				return true;
			});
	}

	/** Every object version and delete marker first: S3 deletes only empty buckets. */
	private void deleteBucket(String name) {
		ignoreNotFound(() -> {
			this.s3.listObjectVersionsPaginator((request) -> request.bucket(name)).forEach((page) -> {
				page.versions()
					.forEach((version) -> this.s3.deleteObject(
							(request) -> request.bucket(name).key(version.key()).versionId(version.versionId())));
				page.deleteMarkers()
					.forEach((marker) -> this.s3.deleteObject(
							(request) -> request.bucket(name).key(marker.key()).versionId(marker.versionId())));
			});
			this.s3.deleteBucket((request) -> request.bucket(name));
		});
	}

	/** Already gone is fine: a step of the scenario may have removed it. */
	private static void ignoreNotFound(Runnable action) {
		try {
			action.run();
		}
		catch (AwsServiceException ex) {
			if (!AwsErrors.isNotFound(ex)) {
				throw ex;
			}
			logger.debug("Already gone: {}", ex.getMessage());
		}
	}

	/** AWS answers "not found" (the error codes differ between AWS and moto). */
	static void assertNotFound(ThrowingCallable read) {
		assertThatExceptionOfType(AwsServiceException.class).isThrownBy(read)
			.matches(AwsErrors::isNotFound, "a not-found error");
	}

	private record CleanupStep(String description, Runnable action) {
	}

}
