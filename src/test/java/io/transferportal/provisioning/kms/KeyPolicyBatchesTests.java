package io.transferportal.provisioning.kms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.ChangedSinceApprovalException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ProvisioningLocks;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.TestAccounts;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.LockedStep;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;

/**
 * Coalesced key-policy writes and the wait for IAM outside the key's lock, against a KMS
 * that answers a scripted sequence (moto accepts every principal at once, so it cannot
 * show the propagation delay). Nothing sleeps: the sleeper records what it was asked to
 * wait and whether the lock was held at that moment.
 */
class KeyPolicyBatchesTests {

	static final String KEY = KeyPolicyTests.KEY;

	KmsClient kms = mock(KmsClient.class, CALLS_REAL_METHODS);

	/** The key policy KMS stores. */
	AtomicReference<String> stored = new AtomicReference<>(AwsFixtures.nonDelegatingPolicy().toJson());

	/** Every PutKeyPolicy sent, accepted or refused. */
	List<IamPolicy> puts = new CopyOnWriteArrayList<>();

	/** Which policies KMS refuses as naming an invalid principal. */
	AtomicReference<Predicate<IamPolicy>> invisible = new AtomicReference<>((policy) -> false);

	/** How many more times KMS refuses a write as naming an invalid principal. */
	int refusalsLeft;

	RecordingLocks locks = new RecordingLocks();

	List<String> sleeps = new CopyOnWriteArrayList<>();

	/**
	 * As TestTargets.PROPERTIES (3 retries, 1 ms doubling up to 5 ms), without the wait
	 * for other runs to queue: the tests queue them explicitly.
	 */
	static final ProvisioningProperties PROPERTIES = withLinger(Duration.ZERO);

	KeyPolicy resource = resource(PROPERTIES);

	ExecutorService runs = Executors.newFixedThreadPool(3);

	@BeforeEach
	void kms() {
		willReturn(DescribeKeyResponse.builder().keyMetadata(KeyPolicyTests.enabledKey()).build()).given(this.kms)
			.describeKey(any(DescribeKeyRequest.class));
		willAnswer((call) -> GetKeyPolicyResponse.builder().policy(this.stored.get()).build()).given(this.kms)
			.getKeyPolicy(any(GetKeyPolicyRequest.class));
		willAnswer((call) -> {
			IamPolicy policy = Policies.parse(call.<PutKeyPolicyRequest>getArgument(0).policy());
			this.puts.add(policy);
			synchronized (this) {
				if (this.refusalsLeft > 0 || this.invisible.get().test(policy)) {
					this.refusalsLeft = Math.max(0, this.refusalsLeft - 1);
					throw invalidPrincipal();
				}
			}
			this.stored.set(policy.toJson());
			return PutKeyPolicyResponse.builder().build();
		}).given(this.kms).putKeyPolicy(any(PutKeyPolicyRequest.class));
	}

	@AfterEach
	void stop() {
		this.runs.shutdownNow();
	}

	@Test
	void aRoleKmsDoesNotSeeYetIsTriedAgainAfterWaitingOutsideTheLock() {
		this.refusalsLeft = 2;
		Target alice = target("alice");

		List<AppliedChange> outcome = this.resource.applyBatched(step(alice), this.locks);

		assertThat(this.puts).hasSize(3);
		assertThat(this.sleeps).containsExactly("1 ms, lock held: false", "2 ms, lock held: false");
		assertThat(this.locks.taken).as("taken again for every attempt, to re-read and decide again").hasSize(3);
		assertThat(outcome).singleElement().satisfies((change) -> {
			assertThat(change.outcome()).isEqualTo(Outcome.UPDATED);
			assertThat(change.after()).isEqualTo(Policies.prettyAsIs(Policies.parse(this.stored.get())));
		});
		assertThat(KeyPolicies.allowsRole(Policies.parse(this.stored.get()), alice.roleArn(), KEY)).isTrue();
	}

	@Test
	void theWaitIsBoundedAndEndsInAnErrorNamingTheCause() {
		this.refusalsLeft = Integer.MAX_VALUE;

		assertThatExceptionOfType(ProvisioningException.class)
			.isThrownBy(() -> this.resource.applyBatched(step(target("alice")), this.locks))
			.withMessageContaining("PutKeyPolicy")
			.withMessageContaining("invalid principals");
		assertThat(this.puts).as("the first attempt and 3 retries").hasSize(4);
		assertThat(this.sleeps).containsExactly("1 ms, lock held: false", "2 ms, lock held: false",
				"4 ms, lock held: false");
	}

	@Test
	void theBackoffDoublesUpToItsCeiling() {
		KeyPolicyBatches batches = new KeyPolicyBatches(this.resource, PROPERTIES.iamPropagation(), Duration.ZERO,
				(duration) -> {
				});

		assertThat(List.of(0, 1, 2, 3, 10).stream().map(batches::backoff).map(Duration::toMillis)).containsExactly(1L,
				2L, 4L, 5L, 5L);
	}

	@Test
	void runsWaitingOnOneKeyShareOnePutKeyPolicy() throws Exception {
		Target alice = target("alice");
		Target bob = target("bob");
		Target carol = target("carol");
		// the first run to get the lock waits there until the other two have queued
		this.locks.onFirstLock = () -> await().atMost(Duration.ofSeconds(30))
			.until(() -> this.resource.queued(this.resource.lockName(alice)) == 3);

		List<Future<List<AppliedChange>>> outcomes = new ArrayList<>();
		outcomes.add(this.runs.submit(() -> this.resource.applyBatched(step(alice), this.locks)));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.locks.taken.size() == 1);
		outcomes.add(this.runs.submit(() -> this.resource.applyBatched(step(bob), this.locks)));
		outcomes.add(this.runs.submit(() -> this.resource.applyBatched(step(carol), this.locks)));

		for (Future<List<AppliedChange>> outcome : outcomes) {
			assertThat(outcome.get(30, TimeUnit.SECONDS)).singleElement()
				.satisfies((change) -> assertThat(change.outcome()).isEqualTo(Outcome.UPDATED));
		}
		IamPolicy policy = Policies.parse(this.stored.get());
		assertThat(this.puts).as("one for the three runs").hasSize(1);
		assertThat(List.of(alice, bob, carol))
			.allSatisfy((target) -> assertThat(KeyPolicies.allowsRole(policy, target.roleArn(), KEY)).isTrue());
		assertThat(policy.statements().subList(0, 2)).as("the statements the portal does not own")
			.isEqualTo(AwsFixtures.nonDelegatingPolicy().statements());
	}

	@Test
	void aStepThatFailsDoesNotFailTheOthersInItsBatch() throws Exception {
		Target alice = target("alice");
		Target bob = target("bob");
		Target carol = target("carol");
		// carol's role never becomes visible to KMS
		this.invisible.set((policy) -> KeyPolicies.portalStatementLists(policy, carol.roleArn()));
		this.locks.onFirstLock = () -> await().atMost(Duration.ofSeconds(30))
			.until(() -> this.resource.queued(this.resource.lockName(alice)) == 3);

		Future<List<AppliedChange>> first = this.runs.submit(() -> this.resource.applyBatched(step(alice), this.locks));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.locks.taken.size() == 1);
		Future<List<AppliedChange>> second = this.runs
			.submit(() -> this.resource.applyBatched(refusedStep(bob), this.locks));
		Future<List<AppliedChange>> third = this.runs.submit(() -> this.resource.applyBatched(step(carol), this.locks));

		assertThat(first.get(30, TimeUnit.SECONDS)).singleElement()
			.satisfies((change) -> assertThat(change.outcome()).isEqualTo(Outcome.UPDATED));
		assertThat(second).failsWithin(Duration.ofSeconds(30))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(ChangedSinceApprovalException.class);
		assertThat(third).failsWithin(Duration.ofSeconds(30))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(ProvisioningException.class)
			.withMessageContaining("invalid principals");
		IamPolicy policy = Policies.parse(this.stored.get());
		assertThat(KeyPolicies.allowsRole(policy, alice.roleArn(), KEY)).isTrue();
		assertThat(KeyPolicies.portalStatementLists(policy, bob.roleArn())).isFalse();
		assertThat(KeyPolicies.portalStatementLists(policy, carol.roleArn())).isFalse();
	}

	@Test
	void aCombinedWriteKmsRefusesIsWrittenOneByOneAndOnlyTheInvisibleRoleWaits() throws Exception {
		Target alice = target("alice");
		Target bob = target("bob");
		Target carol = target("carol");
		AtomicReference<Boolean> bobVisible = new AtomicReference<>(false);
		this.invisible.set((policy) -> !bobVisible.get() && KeyPolicies.portalStatementLists(policy, bob.roleArn()));
		// IAM has propagated bob's role by the time his run has waited once
		KeyPolicy resource = new KeyPolicy(this.kms, new KeyLookup(this.kms),
				TestAccounts.fixed(AwsFixtures.ACCOUNT, "us-east-1"), PROPERTIES, (duration) -> {
					this.sleeps.add(duration.toMillis() + " ms, lock held: " + this.locks.isHeld());
					bobVisible.set(true);
				});
		this.locks.onFirstLock = () -> await().atMost(Duration.ofSeconds(30))
			.until(() -> resource.queued(resource.lockName(alice)) == 3);

		Future<List<AppliedChange>> first = this.runs.submit(() -> resource.applyBatched(step(alice), this.locks));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.locks.taken.size() == 1);
		Future<List<AppliedChange>> second = this.runs.submit(() -> resource.applyBatched(step(bob), this.locks));
		Future<List<AppliedChange>> third = this.runs.submit(() -> resource.applyBatched(step(carol), this.locks));

		for (Future<List<AppliedChange>> outcome : List.of(first, second, third)) {
			assertThat(outcome.get(30, TimeUnit.SECONDS)).singleElement()
				.satisfies((change) -> assertThat(change.outcome()).isEqualTo(Outcome.UPDATED));
		}
		assertThat(this.sleeps).containsExactly("1 ms, lock held: false");
		// the three together (refused); alice alone; bob alone (refused); carol alone;
		// bob again after waiting
		assertThat(this.puts).hasSize(5);
		IamPolicy policy = Policies.parse(this.stored.get());
		assertThat(List.of(alice, bob, carol))
			.allSatisfy((target) -> assertThat(KeyPolicies.allowsRole(policy, target.roleArn(), KEY)).isTrue());
	}

	@Test
	void aStepAlreadyAsRequiredWritesNothing() {
		Target alice = target("alice");
		this.stored.set(KeyPolicies.withRole(AwsFixtures.nonDelegatingPolicy(), alice.roleArn()).toJson());

		List<AppliedChange> outcome = this.resource.applyBatched(step(alice), this.locks);

		assertThat(outcome).singleElement()
			.satisfies((change) -> assertThat(change.outcome()).isEqualTo(Outcome.UNCHANGED));
		assertThat(this.puts).isEmpty();
	}

	@Test
	void theRunToWriteWaitsForOthersToQueueBeforeItTakesTheLock() {
		KeyPolicy lingering = resource(withLinger(Duration.ofMillis(100)));

		lingering.applyBatched(step(target("alice")), this.locks);

		assertThat(this.sleeps).containsExactly("100 ms, lock held: false");
		assertThat(this.puts).hasSize(1);
	}

	KeyPolicy resource(ProvisioningProperties properties) {
		return new KeyPolicy(this.kms, new KeyLookup(this.kms), TestAccounts.fixed(AwsFixtures.ACCOUNT, "us-east-1"),
				properties,
				(duration) -> this.sleeps.add(duration.toMillis() + " ms, lock held: " + this.locks.isHeld()));
	}

	static ProvisioningProperties withLinger(Duration linger) {
		ProvisioningProperties p = TestTargets.PROPERTIES;
		return new ProvisioningProperties(p.rolePrefix(), p.rolePath(), p.maxSshKeys(), p.minRsaBits(),
				p.iamPropagation(), p.permissionsBoundaryArn(), p.existingRolePaths(), p.roleMode(), p.keyPolicyMode(),
				p.lock(), linger);
	}

	static Target target(String user) {
		return TestTargets.resolve(new UserSpec("s-0123456789abcdef0", user, "payments-inbox", null, KEY, List.of(),
				AccessLevel.READ_WRITE, null, Map.of()));
	}

	LockedStep step(Target target) {
		return step(target, (decision) -> {
		});
	}

	/** A run whose approved plan does not cover the change decided now. */
	LockedStep refusedStep(Target target) {
		return step(target, (decision) -> {
			throw new ChangedSinceApprovalException(ResourceKind.KEY_POLICY, "changed after the plan was approved");
		});
	}

	LockedStep step(Target target, Consumer<Decision<?>> requireWithin) {
		Plan plan = new Plan(Plan.Kind.PROVISION, target.spec(), List.of(), List.of(), "fingerprint");
		return new LockedStep(this.resource, target, plan, this.resource.lockName(target), requireWithin, () -> {
			throw new AssertionError("the key policy is applied in batches");
		});
	}

	static MalformedPolicyDocumentException invalidPrincipal() {
		return (MalformedPolicyDocumentException) MalformedPolicyDocumentException.builder()
			.awsErrorDetails(AwsErrorDetails.builder()
				.errorCode("MalformedPolicyDocumentException")
				.errorMessage("Policy contains a statement with one or more invalid principals.")
				.build())
			.statusCode(400)
			.build();
	}

	/**
	 * One lock for every name, as the database lock would be, recording who takes it and
	 * how many threads wait for it.
	 */
	static class RecordingLocks implements ProvisioningLocks {

		final ReentrantLock lock = new ReentrantLock();

		final List<String> taken = new CopyOnWriteArrayList<>();

		volatile Runnable onFirstLock = () -> {
		};

		@Override
		public <T> T withLock(String name, Supplier<T> action) {
			this.lock.lock();
			try {
				this.taken.add(name);
				if (this.taken.size() == 1) {
					this.onFirstLock.run();
				}
				return action.get();
			}
			finally {
				this.lock.unlock();
			}
		}

		boolean isHeld() {
			return this.lock.isLocked();
		}

	}

}
