package io.transferportal.requests;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditRecord;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.Adoption;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Target;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The four-eyes workflow end to end: submit, approve, apply asynchronously, verify,
 * audit, deprovision.
 */
@PortalIntegrationTest
class WorkflowIntegrationTests {

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	Clock clock;

	@Autowired
	ManagedUserRegister register;

	@Autowired
	AuditTrail audit;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	TransferClient transfer;

	@Autowired
	AccessRequestRepository requestRepository;

	@Autowired
	ProvisioningRunner runner;

	TransactionTemplate transaction;

	String server;

	String bucket;

	String key;

	@BeforeEach
	void setUp(@Autowired PlatformTransactionManager transactions) {
		this.transaction = new TransactionTemplate(transactions);
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.keyWithoutRootDelegation();
	}

	@Test
	void approvedRequestIsProvisionedVerifiedAuditedAndLaterDeprovisioned() {
		UserSpec spec = AwsFixtures.spec(this.server, "alice", this.bucket, this.key, TestKeys.ED25519_A);
		RequestView submitted = this.requests.submitProvision(spec, "CHG-100", Actor.person("alice"));
		assertThat(submitted.status()).isEqualTo(RequestStatus.PENDING_APPROVAL);
		assertThat(submitted.plan().changes()).isNotEmpty();

		this.requests.approve(submitted.id(), Actor.person("bob"), "fine");
		RequestView active = awaitStatus(submitted.id(), RequestStatus.ACTIVE);

		assertThat(active.decisions()).singleElement().satisfies((d) -> {
			assertThat(d.decidedBy()).isEqualTo("bob");
			assertThat(d.planFingerprint()).isEqualTo(submitted.plan().fingerprint());
		});
		assertThat(this.requests.steps(submitted.id())).extracting(RequestStepView::status).containsOnly("DONE");
		ManagedUserView user = this.requests.managedUser(this.server, "alice").orElseThrow();
		assertThat(user.active()).isTrue();
		assertThat(user.checks()).hasSize(6)
			.allSatisfy((check) -> assertThat(check.status()).isEqualTo(CheckStatus.OK));

		List<AuditRecord> provisioning = this.audit.search(AuditFilter.forRequest(submitted.id()), 1000);
		assertThat(provisioning).extracting(AuditRecord::action)
			.contains("SUBMITTED", "APPROVED", "STATUS_CHANGED", "AWS_CHANGE");
		assertThat(provisioning).filteredOn((r) -> r.action().equals("AWS_CHANGE"))
			.extracting(AuditRecord::resource)
			.containsExactlyInAnyOrder("BUCKET_ENCRYPTION", "ROLE", "ROLE_POLICY", "KEY_POLICY", "HOME_FOLDER",
					"SESSION_POLICY", "TRANSFER_USER");
		assertThat(provisioning).filteredOn((r) -> "KEY_POLICY".equals(r.resource())).singleElement().satisfies((r) -> {
			assertThat(r.before()).doesNotContain("TransferPortalUserRoles");
			assertThat(r.after()).contains("TransferPortalUserRoles");
			assertThat(r.ticketRef()).isEqualTo("CHG-100");
		});

		RequestView removal = this.requests.submitDeprovision(this.server, "alice", "CHG-101", Actor.person("admin"));
		assertThat(removal.kind()).isEqualTo(RequestKind.DEPROVISION);
		this.requests.approve(removal.id(), Actor.person("bob"), null);
		awaitStatus(removal.id(), RequestStatus.DELETED);

		assertThat(this.requests.managedUser(this.server, "alice").orElseThrow().active()).isFalse();
		List<AuditRecord> deprovisioning = this.audit.search(AuditFilter.forRequest(removal.id()), 1000);
		assertThat(deprovisioning).filteredOn((r) -> r.action().equals("AWS_CHANGE")).allSatisfy((r) -> {
			assertThat(r.before()).isNotNull();
			assertThat(r.actor()).isEqualTo("portal");
		});
		assertThat(deprovisioning).filteredOn((r) -> "TRANSFER_USER".equals(r.resource()))
			.singleElement()
			.satisfies((r) -> assertThat(r.outcome()).isEqualTo("DELETED"));
		assertThat(deprovisioning).filteredOn((r) -> "ROLE".equals(r.resource()))
			.singleElement()
			.satisfies((r) -> assertThat(r.after()).isNull());
	}

	/**
	 * Every submission reads AWS to plan before it opens a transaction, so no pooled
	 * connection or submission lock is held while AWS answers (issue 11).
	 */
	@Test
	void everySubmissionReadsAwsWithNoTransactionOpen() {
		Thread thread = Thread.currentThread();
		Actor requester = Actor.person("alice");
		Actor admin = Actor.person("admin");
		UserSpec spec = AwsFixtures.spec(this.server, AwsFixtures.unique("tx"), this.bucket, this.key,
				TestKeys.ED25519_A);
		this.recorder.reset();
		RequestView provision = this.requests.submitProvision(spec, null, requester);
		assertThat(this.recorder.callsOn(thread)).as("provision").isNotEmpty();
		assertThat(this.recorder.callsInTransactionOn(thread)).as("provision").isEmpty();
		this.requests.approve(provision.id(), Actor.person("bob"), null);
		awaitStatus(provision.id(), RequestStatus.ACTIVE);

		List<Supplier<RequestView>> submissions = List.of(
				() -> this.requests.submitRepair(spec.serverId(), spec.userName(), null, admin),
				() -> this.requests.submitModify(spec.serverId(), spec.userName(),
						new UserChange(List.of(TestKeys.ED25519_B), null, null, null, null), null, requester),
				() -> this.requests.submitDeprovision(spec.serverId(), spec.userName(), null, admin));
		for (Supplier<RequestView> submission : submissions) {
			this.recorder.reset();
			RequestView submitted = submission.get();
			assertThat(this.recorder.callsOn(thread)).as(submitted.kind().name()).isNotEmpty();
			assertThat(this.recorder.callsInTransactionOn(thread)).as(submitted.kind().name()).isEmpty();
			this.requests.cancel(submitted.id(), Actor.person(submitted.requestedBy()));
		}

		String role = this.aws.existingRole();
		String outsider = AwsFixtures.unique("tx-out");
		this.transfer.createUser((request) -> request.serverId(this.server)
			.userName(outsider)
			.role(role)
			.homeDirectoryType(HomeDirectoryType.PATH)
			.homeDirectory("/" + this.bucket + "/" + outsider)
			.sshPublicKeyBody(TestKeys.ED25519_A));
		this.recorder.reset();
		this.requests.submitAdopt(new Adoption(this.server, outsider, this.bucket, null, this.key, null), null,
				requester);
		assertThat(this.recorder.callsOn(thread)).as("adoption").isNotEmpty();
		assertThat(this.recorder.callsInTransactionOn(thread)).as("adoption").isEmpty();
	}

	@Test
	void aUserThatChangesWhileItsRequestIsPlannedIsNotSubmitted(@Autowired ManagedUserRepository users) {
		Actor admin = Actor.person("admin");
		UserSpec spec = AwsFixtures.spec(this.server, AwsFixtures.unique("tx"), this.bucket, this.key,
				TestKeys.ED25519_A);
		RequestView provision = this.requests.submitProvision(spec, null, Actor.person("alice"));
		this.requests.approve(provision.id(), Actor.person("bob"), null);
		awaitStatus(provision.id(), RequestStatus.ACTIVE);
		this.recorder.reset();
		// someone extends the user's access while the repair reads AWS
		this.recorder.beforeNext("DescribeKey",
				() -> this.transaction
					.executeWithoutResult((status) -> users.findByServerIdAndUserName(spec.serverId(), spec.userName())
						.orElseThrow()
						.expiresAt(this.clock.instant().plus(Duration.ofDays(30)))));

		assertThatExceptionOfType(RequestConflictException.class)
			.isThrownBy(() -> this.requests.submitRepair(spec.serverId(), spec.userName(), null, admin))
			.withMessageContaining("changed while this request was planned");
		assertThat(this.requestRepository.existsByServerIdAndUserNameAndStatusIn(spec.serverId(), spec.userName(),
				RequestStatus.OPEN))
			.as("nothing stored")
			.isFalse();
		// planned again from what the database holds now, it is submitted
		assertThat(this.requests.submitRepair(spec.serverId(), spec.userName(), null, admin).status())
			.isEqualTo(RequestStatus.PENDING_APPROVAL);
	}

	/**
	 * "Verify now" is audited as the person who asked for it; the sweep and the runs as
	 * the portal.
	 */
	@Test
	void aVerificationSomeoneAskedForIsAuditedAsTheirs(@Autowired IamClient iam) {
		UserSpec spec = AwsFixtures.spec(this.server, AwsFixtures.unique("vfy"), this.bucket, this.key,
				TestKeys.ED25519_A);
		RequestView provision = this.requests.submitProvision(spec, null, Actor.person("alice"));
		this.requests.approve(provision.id(), Actor.person("bob"), null);
		awaitStatus(provision.id(), RequestStatus.ACTIVE);
		String roleArn = provision.plan().change(ResourceKind.ROLE).orElseThrow().resourceArn();
		String role = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		// someone removes the role's policy outside the portal
		iam.listRolePolicies((r) -> r.roleName(role))
			.policyNames()
			.forEach((name) -> iam.deleteRolePolicy((r) -> r.roleName(role).policyName(name)));

		ManagedUserView verified = this.requests.verify(spec.serverId(), spec.userName(), Actor.person("carol"));

		assertThat(verified.health()).isNotEqualTo(Health.OK);
		List<AuditRecord> changes = this.audit
			.search(new AuditFilter(null, null, spec.serverId(), spec.userName(), null, null), 100)
			.stream()
			.filter((entry) -> entry.action().equals("VERIFICATION_CHANGED"))
			.toList();
		// the run's own verification is the portal's; carol's found the removed policy
		assertThat(changes).filteredOn((entry) -> String.valueOf(entry.detail()).startsWith("unverified -> "))
			.isNotEmpty()
			.allSatisfy((entry) -> assertThat(entry.actor()).isEqualTo("portal"));
		assertThat(changes).filteredOn((entry) -> "MISSING".equals(entry.outcome()))
			.singleElement()
			.satisfies((entry) -> {
				assertThat(entry.actor()).isEqualTo("carol");
				assertThat(entry.resource()).isEqualTo(ResourceKind.ROLE_POLICY.name());
			});
	}

	@Test
	void requesterCannotApproveOwnRequestThroughTheServiceAndNothingChanges() {
		RequestView submitted = this.requests.submitProvision(
				AwsFixtures.spec(this.server, "carl", this.bucket, this.key, TestKeys.ED25519_A), null,
				Actor.person("carol"));
		this.recorder.reset();

		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> this.requests.approve(submitted.id(), Actor.person("carol"), null));

		RequestView after = this.requests.find(submitted.id()).orElseThrow();
		assertThat(after.status()).isEqualTo(RequestStatus.PENDING_APPROVAL);
		assertThat(after.decisions()).isEmpty();
		assertThat(this.recorder.calls()).isEmpty();
		assertThat(this.audit.search(AuditFilter.forRequest(submitted.id()), 100)).extracting(AuditRecord::action)
			.containsExactly("SUBMITTED");
	}

	@Test
	void liveStateChangedAfterApprovalNeedsReapprovalAndWritesNothing() {
		RequestView submitted = this.requests.submitProvision(
				AwsFixtures.spec(this.server, "dora", this.bucket, this.key, TestKeys.ED25519_B), null,
				Actor.person("alice"));
		// someone changes the bucket meanwhile
		this.aws.encryptBucket(this.bucket, ServerSideEncryption.AES256, null);
		this.recorder.reset();

		this.requests.approve(submitted.id(), Actor.person("bob"), null);
		RequestView reapproval = awaitStatus(submitted.id(), RequestStatus.NEEDS_REAPPROVAL);

		assertThat(this.recorder.writes()).isEmpty();
		assertThat(reapproval.plan().fingerprint()).isNotEqualTo(submitted.plan().fingerprint());
		assertThat(reapproval.plan().change(ResourceKind.BUCKET_ENCRYPTION).orElseThrow().action())
			.isEqualTo(ChangeAction.UPDATE);
		assertThat(reapproval.supersededPlan()).as("the approved plan, kept for the approver to compare")
			.isEqualTo(submitted.plan());

		this.requests.approve(submitted.id(), Actor.person("bob"), "re-checked the SSE-S3 change");
		awaitStatus(submitted.id(), RequestStatus.ACTIVE);
	}

	@Test
	void aResourceChangedDuringTheRunIsNotWrittenAndTheRequestGoesBackForApproval() {
		UserSpec spec = AwsFixtures.spec(this.server, "olga", this.bucket, this.key, TestKeys.ED25519_A);
		RequestView submitted = this.requests.submitProvision(spec, null, Actor.person("alice"));
		String role = submitted.plan().change(ResourceKind.ROLE).orElseThrow().resourceArn();
		this.recorder.reset();
		// after the run's re-plan, just before it writes the key policy, someone creates
		// the Transfer user the plan is about to create (tagged as the portal's, no keys)
		this.recorder.beforeNext("PutKeyPolicy",
				() -> this.transfer.createUser((user) -> user.serverId(this.server)
					.userName("olga")
					.role(role)
					.homeDirectoryType(HomeDirectoryType.LOGICAL)
					.homeDirectoryMappings((mapping) -> mapping.entry("/").target("/" + this.bucket + "/olga"))
					.tags((tag) -> tag.key(Target.MANAGED_TAG).value(Target.MANAGED_TAG_VALUE))));

		this.requests.approve(submitted.id(), Actor.person("bob"), null);
		RequestView reapproval = awaitStatus(submitted.id(), RequestStatus.NEEDS_REAPPROVAL);

		assertThat(this.recorder.writes()).as("nothing written to the user after it changed")
			.doesNotContain("Transfer:ImportSshPublicKey", "Transfer:UpdateUser")
			.contains("Kms:PutKeyPolicy");
		assertThat(this.transfer.describeUser((user) -> user.serverId(this.server).userName("olga"))
			.user()
			.sshPublicKeys()).isEmpty();
		assertThat(reapproval.plan().change(ResourceKind.TRANSFER_USER).orElseThrow().action())
			.isEqualTo(ChangeAction.UPDATE);
	}

	@Test
	void aRunWhoseHeartbeatFailedStopsBeforeItsFirstWrite() {
		RequestView submitted = this.requests.submitProvision(
				AwsFixtures.spec(this.server, "hana", this.bucket, this.key, TestKeys.ED25519_B), null,
				Actor.person("alice"));
		this.recorder.reset();
		// approved on the aggregate, so no run is scheduled: this test runs it itself
		// (after the reset, which waits until no approved request is left)
		this.transaction.executeWithoutResult((status) -> this.requestRepository.findById(submitted.id())
			.orElseThrow()
			.approve("bob", null, 1, this.clock.instant()));

		ProvisioningRunner.Run lostHeartbeat = new ProvisioningRunner.Run(submitted.id(), submitted.id() + "/test", 1,
				() -> true);
		assertThatExceptionOfType(ProvisioningRunner.RunTakenOverException.class)
			.isThrownBy(() -> this.runner.run(lostHeartbeat));

		assertThat(this.recorder.writes()).isEmpty();
		assertThat(this.requests.find(submitted.id()).orElseThrow().status()).isEqualTo(RequestStatus.PROVISIONING);
		// the scheduler would try the same execution again later: a healthy pick resumes
		// it
		this.runner.run(new ProvisioningRunner.Run(submitted.id(), submitted.id() + "/test", 2, () -> false));
		assertThat(this.requests.find(submitted.id()).orElseThrow().status()).isEqualTo(RequestStatus.ACTIVE);
	}

	/**
	 * A request that failed for good (its bucket is gone) no longer blocks its user: an
	 * admin abandons it, audited as theirs, and the user can be asked for again.
	 */
	@Test
	void aFailedRequestAbandonedByAnAdminNoLongerBlocksItsUser() {
		UserSpec spec = AwsFixtures.spec(this.server, "ivan", this.bucket, this.key, TestKeys.ED25519_B);
		RequestView submitted = this.requests.submitProvision(spec, null, Actor.person("alice"));
		this.recorder.reset();
		// failed on the aggregate: no run is scheduled, and none could mend it
		this.transaction.executeWithoutResult((status) -> {
			AccessRequest request = this.requestRepository.findById(submitted.id()).orElseThrow();
			request.approve("bob", null, 1, this.clock.instant());
			request.startProvisioning("test", 1, this.clock.instant());
			request.fail("NoSuchBucket: the bucket does not exist", "Failed", this.clock.instant());
		});
		assertThatExceptionOfType(RequestConflictException.class).as("the failed request blocks its user")
			.isThrownBy(() -> this.requests.submitProvision(spec, null, Actor.person("alice")));
		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> this.requests.cancel(submitted.id(), Actor.person("carol")));

		this.requests.cancel(submitted.id(), Actor.person("admin"));

		assertThat(this.requests.find(submitted.id()).orElseThrow().status()).isEqualTo(RequestStatus.CANCELLED);
		assertThat(this.audit.search(AuditFilter.forRequest(submitted.id()), 100))
			.filteredOn((record) -> record.action().equals("STATUS_CHANGED") && record.actor().equals("admin"))
			.singleElement()
			.satisfies((record) -> assertThat(record.detail()).contains("FAILED -> CANCELLED", "Abandoned by admin"));
		assertThat(this.requests.submitProvision(spec, null, Actor.person("alice")).status()).as("asked for again")
			.isEqualTo(RequestStatus.PENDING_APPROVAL);
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void backgroundVerificationReadsEachSharedBucketAndKeyOnce() {
		for (String name : List.of("erik", "fay", "gus")) {
			RequestView request = this.requests.submitProvision(
					AwsFixtures.spec(this.server, name, this.bucket, this.key, TestKeys.newEcdsaKey(name)), null,
					Actor.person("alice"));
			this.requests.approve(request.id(), Actor.person("bob"), null);
			awaitStatus(request.id(), RequestStatus.ACTIVE);
		}
		int active = this.requests.activeUsers().size();
		this.recorder.reset();

		assertThat(this.register.verifyAll()).isEqualTo(active);

		// other tests' users live in other buckets, keys and servers: this test's three
		// users share one bucket and one key, read once each
		assertThat(this.recorder.callsAbout(this.bucket)).filteredOn((c) -> c.endsWith(":GetBucketEncryption"))
			.hasSize(1);
		assertThat(this.recorder.callsAbout(this.key.substring(this.key.lastIndexOf('/') + 1)))
			.filteredOn((c) -> c.endsWith(":GetKeyPolicy"))
			.hasSize(1);
		assertThat(this.recorder.callsAbout(this.server)).filteredOn((c) -> c.endsWith(":DescribeUser")).hasSize(3);
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void concurrentSubmissionsForOneUserStoreOnlyOneRequest() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<Object>> results = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				UserSpec spec = AwsFixtures.spec(this.server, "yara", this.bucket, this.key,
						TestKeys.newEcdsaKey("yara" + i));
				results.add(pool.submit(() -> {
					try {
						return this.requests.submitProvision(spec, null, Actor.person("alice"));
					}
					catch (RequestConflictException ex) {
						return ex;
					}
				}));
			}
			long stored = 0;
			for (Future<Object> result : results) {
				stored += (result.get() instanceof RequestView) ? 1 : 0;
			}
			assertThat(stored).isEqualTo(1);
		}
		finally {
			pool.shutdown();
		}
	}

	private RequestView awaitStatus(long id, RequestStatus status) {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.requests.find(id).orElseThrow().status(),
					(s) -> s == status || (s == RequestStatus.FAILED && status != RequestStatus.FAILED && fail(id)));
		return this.requests.find(id).orElseThrow();
	}

	private boolean fail(long id) {
		throw new AssertionError("Request " + id + " failed: " + this.requests.find(id).orElseThrow().failure());
	}

}
