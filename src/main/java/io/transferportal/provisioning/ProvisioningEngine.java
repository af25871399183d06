package io.transferportal.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.aws.AwsRequestIds;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.LockedStep;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.Targets;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.transfer.ExistingUserLookup;
import io.transferportal.provisioning.transfer.SshKeyLookup;
import io.transferportal.provisioning.transfer.TransferServers;
import io.transferportal.provisioning.validation.HomeFolderOverlaps;
import io.transferportal.provisioning.validation.SshPublicKeys;
import io.transferportal.provisioning.validation.UserSpecValidator;

/**
 * Plans, applies, verifies and removes AWS Transfer users on SSE-KMS buckets: the
 * provisioning module's API.
 * <p>
 * Each AWS resource is a {@link UserResource} that reads, decides and writes; this class
 * does the rest once for all of them. {@link #plan} reads and decides. {@link #apply}
 * takes each resource with an approved change in turn and, under the resource's lock,
 * reads it again, decides again, refuses anything the approved change does not cover,
 * writes, and reports the outcome; so applying twice writes nothing the second time.
 * {@link #verify} reads and decides, and turns each decision into a check.
 */
@Service
public class ProvisioningEngine {

	/**
	 * How long a run may verify against what another run read of a shared resource (a
	 * bucket, a key, a server) it does not write: long enough for a wave of runs on one
	 * bucket and key to share one read, short beside the verification sweep's interval.
	 */
	private static final Duration SHARED_READS_FRESH_FOR = Duration.ofSeconds(5);

	/** The resources many users have in common. */
	private static final Set<ResourceKind> SHARED_KINDS = EnumSet.of(ResourceKind.BUCKET_ENCRYPTION,
			ResourceKind.KEY_POLICY);

	private static final Logger logger = LoggerFactory.getLogger(ProvisioningEngine.class);

	/**
	 * Items of a batch planned at once: as many as runs at once by default
	 * ({@code portal.provisioning.concurrency}); each AWS service's bulkhead still bounds
	 * the calls.
	 */
	static final int PLANNERS = 16;

	/** Plans the items of a batch; idle threads end after a minute. */
	private final ThreadPoolExecutor planners = new ThreadPoolExecutor(PLANNERS, PLANNERS, 1, TimeUnit.MINUTES,
			new LinkedBlockingQueue<>(), new CustomizableThreadFactory("plan-batch-"));

	private final UserSpecValidator validator;

	private final Targets targets;

	private final List<UserResource<?, ?>> resources;

	private final List<UserResource<?, ?>> removalOrder;

	private final ProvisioningLocks locks;

	private final TransferServers servers;

	private final SshKeyLookup keys;

	private final ExistingUserLookup existingUsers;

	private final Clock clock;

	ProvisioningEngine(UserSpecValidator validator, Targets targets, List<UserResource<?, ?>> resources,
			ProvisioningLocks locks, TransferServers servers, SshKeyLookup keys, ExistingUserLookup existingUsers,
			Clock clock) {
		this.validator = validator;
		this.targets = targets;
		this.locks = locks;
		this.servers = servers;
		this.keys = keys;
		this.existingUsers = existingUsers;
		this.clock = clock;
		this.resources = resources.stream().sorted(Comparator.comparingInt(UserResource::getOrder)).toList();
		List<UserResource<?, ?>> reversed = new ArrayList<>(this.resources);
		Collections.reverse(reversed);
		this.removalOrder = List.copyOf(reversed);
		this.planners.allowCoreThreadTimeOut(true);
	}

	/**
	 * The Transfer servers with service-managed identities that users can be requested on
	 * (one AWS list call).
	 */
	public List<String> transferServers() {
		return this.servers.serviceManagedServerIds();
	}

	/**
	 * How the user connects: host name, host key fingerprints, user, home folder and a
	 * ready {@code sftp} command line (one AWS read).
	 * @throws ProvisioningException if the server cannot be read
	 */
	public Connection connection(UserSpec spec) {
		return this.servers.connection(resolve(spec));
	}

	/**
	 * The user's SSH keys with the date Transfer imported each (one AWS read).
	 * @throws ProvisioningException if the user cannot be read
	 */
	public List<SshKey> sshKeys(UserSpec spec) {
		return this.keys.sshKeys(resolve(spec));
	}

	/**
	 * How a person recognises each SSH key: type, SHA-256 fingerprint (as
	 * {@code ssh-keygen -l} prints it) and comment; keys that do not parse are left out
	 * (validation names them).
	 */
	public List<String> describeSshKeys(List<String> keys) {
		List<String> described = new ArrayList<>();
		for (String key : keys) {
			try {
				described.add(SshPublicKeys.parse(key, 0).description());
			}
			catch (IllegalArgumentException ex) {
				// reported by validate()
			}
		}
		return described;
	}

	/** Checks the request without calling AWS; an empty list means valid. */
	public List<FieldViolation> validate(UserSpec spec) {
		return this.validator.validate(spec);
	}

	/**
	 * Checks, without calling AWS, that the user's home folder is not, does not contain
	 * and does not lie inside another user's home folder on the same bucket.
	 * @param others the other users the portal manages or has open requests for
	 */
	public List<FieldViolation> validateHomeFolder(UserSpec spec, Collection<UserSpec> others) {
		return HomeFolderOverlaps.find(spec, others);
	}

	/**
	 * Reads the live state and computes every change needed for the request.
	 * @throws InvalidUserSpecException if the request is invalid (before any AWS call) or
	 * names a server, bucket, key or role that does not exist or cannot be used
	 */
	public Plan plan(UserSpec spec) {
		return plan(resolve(this.targets.newRequest(spec), true), false);
	}

	/**
	 * The plan of settings already approved and stored, when a run re-plans them or the
	 * portal acts on them: as {@link #plan}, except that settings without SSH keys are
	 * valid (a suspended user's: its access expired or its review is overdue; AWS allows
	 * a service-managed user without keys, which cannot sign in).
	 * @throws InvalidUserSpecException as {@link #plan}
	 */
	public Plan replan(UserSpec approved) {
		return plan(resolve(approved, false), false);
	}

	/**
	 * Plans a change of a managed user from its approved {@code previous} settings: as
	 * {@link #plan(UserSpec)}, and the tags the portal set before that the change drops
	 * are removed (tags others added and the portal's own tags stay).
	 * @throws InvalidUserSpecException as {@link #plan(UserSpec)}
	 */
	public Plan planChange(UserSpec previous, UserSpec spec) {
		validOrThrow(spec, true);
		return plan(this.targets.resolveChange(previous, spec), false);
	}

	/**
	 * Checks an adoption's own fields without calling AWS (the SSH keys and the role come
	 * from the existing user); an empty list means valid.
	 */
	public List<FieldViolation> validate(Adoption adoption) {
		UserSpec withoutUser = new UserSpec(adoption.serverId(), adoption.userName(), adoption.bucket(),
				adoption.homePrefix(), adoption.kmsKeyArn(), List.of(), adoption.accessLevel(), null, Map.of());
		return this.validator.validate(withoutUser, false);
	}

	/**
	 * Reads a Transfer user that exists outside the portal (DescribeServer and
	 * DescribeUser) and decides whether it can be adopted.
	 * @throws InvalidUserSpecException if the server does not exist or the portal cannot
	 * manage its users
	 * @throws AdoptionRefusedException if the user does not exist, already carries the
	 * portal's mark, or has a home directory the portal cannot express
	 */
	public ExistingUser describeExisting(String serverId, String userName) {
		return this.existingUsers.describe(serverId, userName);
	}

	/**
	 * The request under which the portal adopts this existing user: its role (as an
	 * existing role) and SSH keys kept.
	 * @throws AdoptionRefusedException if the user's SSH keys are not ones the portal
	 * accepts (none, too many, too weak)
	 */
	public UserSpec adoptionSpec(Adoption adoption, ExistingUser existing) {
		UserSpec spec = adoption.toSpec(existing);
		List<String> keyProblems = this.validator.validate(spec)
			.stream()
			.filter((violation) -> violation.field().startsWith("sshPublicKeys"))
			.map((violation) -> violation.field() + " " + violation.message())
			.toList();
		if (!keyProblems.isEmpty()) {
			throw new AdoptionRefusedException(AdoptionRefusedException.Reason.NOT_ADOPTABLE,
					"User " + existing.userName() + " on " + existing.serverId()
							+ " has SSH keys the portal does not accept (" + String.join("; ", keyProblems)
							+ "); replace them on the user first");
		}
		return spec;
	}

	/**
	 * Like {@link #plan}, for a user that exists outside the portal: instead of being
	 * refused, the user is taken over (tagged as managed, with role, home folder, session
	 * policy and SSH keys as the request says). A user that does not exist is not
	 * created.
	 * @throws InvalidUserSpecException as {@link #plan}, e.g. for a role outside the
	 * allowed paths or one Transfer cannot assume for this user
	 */
	public Plan planAdoption(UserSpec spec) {
		return plan(resolve(spec, true), true);
	}

	private Plan plan(Target target, boolean adopting) {
		UserSpec spec = target.spec();
		// checking the inputs reads what the decisions read next (the server, the key and
		// its policy): one read each per plan; apply always reads again
		return ReadCache.during(() -> {
			List<FieldViolation> violations = this.resources.stream()
				.flatMap((resource) -> resource.checkInputs(target).stream())
				.toList();
			if (!violations.isEmpty()) {
				throw new InvalidUserSpecException(violations);
			}
			List<Decision<?>> decisions = this.resources.stream()
				.<Decision<?>>map((resource) -> adopting ? decideAdoption(resource, target) : decide(resource, target))
				.toList();
			return plan(adopting ? Plan.Kind.ADOPT : Plan.Kind.PROVISION, spec, target.removedTagKeys(), decisions);
		});
	}

	/**
	 * Computes the removal of a user: delete the Transfer user and the dedicated role,
	 * take the role out of the key policy, but keep whatever another managed user still
	 * needs. Bucket encryption is never turned off.
	 * @param otherManagedUsers the other users the portal manages (the user itself may be
	 * included; it is ignored)
	 */
	public Plan planRemoval(UserSpec spec, Collection<UserSpec> otherManagedUsers) {
		Target target = resolve(spec);
		Sharing sharing = sharing(target, otherManagedUsers);
		List<Decision<?>> decisions = this.removalOrder.stream()
			.<Decision<?>>map((resource) -> decideRemoval(resource, target, sharing))
			.toList();
		return plan(Plan.Kind.REMOVE, spec, List.of(), decisions);
	}

	/**
	 * Applies an approved plan resource by resource and verifies the result.
	 * <p>
	 * First, before any write, the resources the plan leaves as they are
	 * ({@link ChangeAction#NONE}) are read and decided again (shared resources such as
	 * the bucket and the key through {@link ReadCache#shared}, so a wave of runs on them
	 * reads them once): one that changed since approval stops the run with nothing
	 * written. Then each resource with an approved change is decided again and written
	 * (under its lock where it has one) only if it still differs and the new decision is
	 * exactly the approved change; a change the approved plan does not cover stops the
	 * run before it is written. An approved creation whose create call fails when the
	 * resource exists is written without reading first
	 * ({@link UserResource#createsWithoutReading}). The verification comes from these
	 * decisions and writes; only a Transfer user the run changed without creating it is
	 * read again after it was written (AWS dates its SSH keys; those of a user it created
	 * are dated by the run, {@link #keysImportedAt}).
	 * @throws PlanNotApplicableException if the plan has problems (nothing is written)
	 * @throws ChangedSinceApprovalException if a resource changed beyond the approved
	 * plan (nothing is written to it; resources before it stay applied)
	 * @throws ProvisioningException if a resource fails; earlier resources stay applied
	 * and a retry continues safely
	 */
	public ApplyResult apply(Plan plan, Attempt attempt, ProvisioningListener listener) {
		if (!plan.isApplicable()) {
			throw new PlanNotApplicableException(plan);
		}
		Target target = resolve(plan.spec(), plan.removedTagKeys());
		boolean removing = plan.kind() == Plan.Kind.REMOVE;
		Map<ResourceKind, Check> checks = new EnumMap<>(ResourceKind.class);
		AtomicReference<Verification.@Nullable SshKeysSeen> sshKeys = new AtomicReference<>();
		if (!removing) {
			ReadCache.shared(this.clock, SHARED_READS_FRESH_FOR,
					() -> checkBeforeWriting(target, plan, attempt.begun(), checks, sshKeys));
		}
		Set<ResourceKind> created = EnumSet.noneOf(ResourceKind.class);
		List<AppliedChange> applied = new ArrayList<>();
		for (UserResource<?, ?> resource : removing ? this.removalOrder : this.resources) {
			if (approvedChanges(resource, plan).stream().allMatch((change) -> change.action() == ChangeAction.NONE)) {
				continue;
			}
			approvedChanges(resource, plan).forEach((change) -> listener.stepStarted(change.resource()));
			String lock = resource.lockName(target);
			Instant writing = this.clock.instant();
			Set<ResourceKind> createdBefore = Set.copyOf(created);
			AtomicReference<@Nullable Applied> alone = new AtomicReference<>();
			Supplier<List<AppliedChange>> applyAlone = () -> {
				Applied result = applyOne(resource, target, plan, attempt, createdBefore);
				alone.set(result);
				return result.changes();
			};
			// a resource whose waiting runs share one write (a key policy) may apply this
			// step together with others' under its lock
			List<AppliedChange> results = (lock != null) ? new LockedStep(resource, target, plan, lock,
					(decision) -> requireWithin(decision, plan, attempt.begun()), applyAlone)
				.applyUnder(this.locks) : applyAlone.get();
			Applied one = (alone.get() != null) ? alone.get() : Applied.together(results);
			one.changes().forEach(listener::stepFinished);
			applied.addAll(one.changes());
			for (AppliedChange change : one.changes()) {
				if (change.outcome() == Outcome.CREATED) {
					created.add(change.resource());
					if (change.resource() == ResourceKind.TRANSFER_USER) {
						sshKeys.set(keysImportedAt(target, writing));
					}
				}
				checks.put(change.resource(), one.check(change));
			}
			if (one.wrote() && resource.kinds().stream().anyMatch(SHARED_KINDS::contains)) {
				// other runs must not verify against what this write replaced
				ReadCache.forgetShared();
			}
		}
		if (removing) {
			return new ApplyResult(plan, applied, null);
		}
		if (sshKeys.get() == null) {
			// AWS dates each SSH key it imports (DateImported): read back a user this run
			// changed but did not create
			this.resources.stream()
				.filter((resource) -> resource.kinds().contains(ResourceKind.TRANSFER_USER))
				.forEach((resource) -> recheck(resource, target, checks, sshKeys));
		}
		return new ApplyResult(plan, applied, verification(target.spec(), checks, sshKeys.get()));
	}

	/**
	 * Applies a plan that may have been applied before, in part or in full: as
	 * {@link #apply(Plan, Attempt, ProvisioningListener)} after an attempt that may have
	 * begun every resource ({@link Attempt#AGAIN}).
	 */
	public ApplyResult apply(Plan plan, ProvisioningListener listener) {
		return apply(plan, Attempt.AGAIN, listener);
	}

	/**
	 * Decides again, before anything is written, each resource the approved plan leaves
	 * unchanged (and records its check) and each shared resource (a bucket, a key): what
	 * changed there since approval stops the run before its first write.
	 * @throws ChangedSinceApprovalException if one needs a change the plan does not hold,
	 * or has a problem now
	 */
	private @Nullable Void checkBeforeWriting(Target target, Plan plan, Set<ResourceKind> begun,
			Map<ResourceKind, Check> checks, AtomicReference<Verification.@Nullable SshKeysSeen> sshKeys) {
		for (UserResource<?, ?> resource : this.resources) {
			boolean unchanged = approvedChanges(resource, plan).stream()
				.allMatch((change) -> change.action() == ChangeAction.NONE);
			if (!unchanged && resource.kinds().stream().noneMatch(SHARED_KINDS::contains)) {
				continue;
			}
			Decision<?> decision = decideSeeingKeys(resource, target, plan.kind(), sshKeys);
			if (!decision.problems().isEmpty()) {
				PlanProblem problem = decision.problems().get(0);
				throw new ChangedSinceApprovalException(problem.resource(), problem.resource().label()
						+ " changed after the plan was approved: " + problem.message() + "; nothing written");
			}
			requireWithin(decision, plan, begun);
			if (unchanged) {
				decision.changes().forEach((change) -> checks.put(change.resource(), check(change, List.of())));
			}
		}
		return null;
	}

	/**
	 * The SSH keys of a Transfer user this run created: the requested ones, all imported
	 * by the create (CreateUser with the first, ImportSshPublicKey for each other), dated
	 * when the run began writing it. AWS dates each key on import (DateImported, "the
	 * date that the public key was added to the Transfer Family user":
	 * https://docs.aws.amazon.com/transfer/latest/APIReference/API_SshPublicKey.html), so
	 * this is earlier by at most the step's own time (its lock and the create calls) and
	 * a key's age is never understated; the next verification records AWS's own dates.
	 * This spares the DescribeUser that reading the user back costs every new user.
	 */
	private static Verification.SshKeysSeen keysImportedAt(Target target, Instant writing) {
		return target.sshKeys().isEmpty() ? Verification.SshKeysSeen.NONE
				: new Verification.SshKeysSeen(target.sshKeys().size(), writing);
	}

	private void recheck(UserResource<?, ?> resource, Target target, Map<ResourceKind, Check> checks,
			AtomicReference<Verification.@Nullable SshKeysSeen> sshKeys) {
		try {
			Decision<?> decision = decideSeeingKeys(resource, target, Plan.Kind.PROVISION, sshKeys);
			checks.putAll(checks(decision));
		}
		catch (ProvisioningException ex) {
			resource.kinds().forEach((kind) -> checks.put(kind, new Check(kind, CheckStatus.ERROR, ex.getMessage())));
		}
	}

	private static List<PlannedChange> approvedChanges(UserResource<?, ?> resource, Plan plan) {
		return plan.changes().stream().filter((change) -> resource.kinds().contains(change.resource())).toList();
	}

	/**
	 * Compares the live state with what the request requires, one check per resource.
	 * Never writes.
	 * @throws InvalidUserSpecException if the request itself is invalid
	 */
	public Verification verify(UserSpec spec) {
		return verify(resolve(spec));
	}

	/**
	 * Verifies what an applied plan made: as {@link #verify(UserSpec)}, and the tags it
	 * removed must be gone.
	 */
	public Verification verifyApplied(Plan applied) {
		return verify(resolve(applied.spec(), applied.removedTagKeys()));
	}

	private Verification verify(Target target) {
		Map<ResourceKind, Check> checks = new EnumMap<>(ResourceKind.class);
		AtomicReference<Verification.@Nullable SshKeysSeen> sshKeys = new AtomicReference<>();
		for (UserResource<?, ?> resource : this.resources) {
			recheck(resource, target, checks, sshKeys);
		}
		return verification(target.spec(), checks, sshKeys.get());
	}

	/** One check per plan entry of the decision, with the problems about it. */
	private static Map<ResourceKind, Check> checks(Decision<?> decision) {
		Map<ResourceKind, Check> checks = new EnumMap<>(ResourceKind.class);
		for (PlannedChange change : decision.changes()) {
			List<String> problems = decision.problems()
				.stream()
				.filter((problem) -> problem.resource() == change.resource())
				.map(PlanProblem::message)
				.toList();
			checks.put(change.resource(), check(change, problems));
		}
		return checks;
	}

	private Verification verification(UserSpec spec, Map<ResourceKind, Check> checks,
			Verification.@Nullable SshKeysSeen sshKeys) {
		List<Check> verified = new ArrayList<>();
		for (ResourceKind kind : Verification.CHECKED) {
			Check check = checks.getOrDefault(kind, new Check(kind, CheckStatus.ERROR, "Not checked"));
			// the role policy cannot be right on a role that is wrong or missing
			Check role = checks.get(ResourceKind.ROLE);
			if (kind == ResourceKind.ROLE_POLICY && role != null && role.status() != CheckStatus.OK) {
				check = new Check(ResourceKind.ROLE_POLICY, role.status(), role.detail());
			}
			verified.add(check);
		}
		return new Verification(spec, verified, this.clock.instant(), sshKeys);
	}

	/**
	 * Verifies many users in one run, reading each shared bucket encryption and key
	 * policy once.
	 */
	public List<Verification> verifyAll(List<UserSpec> specs) {
		return ReadCache.during(() -> {
			readAhead(specs);
			return specs.stream().map(this::verifyOrReport).toList();
		});
	}

	/** Lets each resource read in bulk what it would read for each user. */
	private void readAhead(List<UserSpec> specs) {
		List<Target> targets = new ArrayList<>();
		for (UserSpec spec : specs) {
			if (this.validator.validate(spec, false).isEmpty()) {
				targets.add(this.targets.resolve(spec, List.of()));
			}
		}
		for (UserResource<?, ?> resource : this.resources) {
			try {
				resource.readAhead(targets);
			}
			catch (ProvisioningException ex) {
				logger.info("Reading {} users: {} read one by one ({})", targets.size(), resource.kinds(),
						ex.getMessage());
			}
		}
	}

	/**
	 * One user's failure (e.g. a stored request that a stricter rule now rejects) must
	 * not stop the others.
	 */
	private Verification verifyOrReport(UserSpec spec) {
		try {
			return verify(spec);
		}
		catch (InvalidUserSpecException | IllegalArgumentException ex) {
			String detail = (ex instanceof InvalidUserSpecException invalid)
					? "The stored request no longer validates: " + invalid.violations()
					: "The stored request is unreadable";
			return new Verification(spec,
					Verification.CHECKED.stream().map((kind) -> new Check(kind, CheckStatus.ERROR, detail)).toList(),
					this.clock.instant());
		}
	}

	private static <S, W> Decision<W> decide(UserResource<S, W> resource, Target target) {
		return resource.decide(target, resource.read(target));
	}

	/**
	 * Decides as a plan of the given kind decided, and notes the SSH keys the live state
	 * holds (from the same read).
	 */
	private static <S, W> Decision<W> decideSeeingKeys(UserResource<S, W> resource, Target target, Plan.Kind kind,
			AtomicReference<Verification.@Nullable SshKeysSeen> sshKeys) {
		S live = resource.read(target);
		Verification.SshKeysSeen seen = resource.sshKeysSeen(live);
		if (seen != null) {
			sshKeys.set(seen);
		}
		return (kind == Plan.Kind.ADOPT) ? resource.decideAdoption(target, live) : resource.decide(target, live);
	}

	private static <S, W> Decision<W> decideAdoption(UserResource<S, W> resource, Target target) {
		return resource.decideAdoption(target, resource.read(target));
	}

	/** Decides again, as the approved plan was decided. */
	private static <S, W> Decision<W> decideAgain(UserResource<S, W> resource, Target target, Plan approved) {
		return switch (approved.kind()) {
			case REMOVE -> decideRemoval(resource, target, Sharing.NONE);
			case ADOPT -> decideAdoption(resource, target);
			case PROVISION -> decide(resource, target);
		};
	}

	private static <S, W> Decision<W> decideRemoval(UserResource<S, W> resource, Target target, Sharing sharing) {
		return resource.decideRemoval(target, resource.readForRemoval(target), sharing);
	}

	/**
	 * Decides and writes one resource: an approved creation the resource may write unread
	 * is decided as for a resource that does not exist, every other change after reading.
	 * A removal is decided again as unshared: only changes approved as such are applied
	 * (what another user still needed was planned as no change and is skipped), and the
	 * runner re-plans with today's users before it applies.
	 */
	private static <S, W> Applied applyOne(UserResource<S, W> resource, Target target, Plan approved, Attempt attempt,
			Set<ResourceKind> createdInThisRun) {
		Decision<W> decision = null;
		boolean unread = attempt.first() && approved.kind() != Plan.Kind.REMOVE
				&& approvedChanges(resource, approved).stream()
					.allMatch((change) -> change.action() == ChangeAction.CREATE)
				&& resource.createsWithoutReading(createdInThisRun);
		if (unread) {
			Decision<W> absent = resource.decide(target, null);
			if (absent.problems().isEmpty() && absent.writes()
					&& absent.changes().stream().allMatch((change) -> approved.covers(change, attempt.begun()))) {
				decision = absent;
			}
		}
		if (decision == null) {
			decision = decideAgain(resource, target, approved);
			requireWithin(decision, approved, attempt.begun());
		}
		List<String> requestIds = List.of();
		AtomicReference<@Nullable String> stored = new AtomicReference<>();
		if (decision.writes()) {
			try {
				requestIds = write(resource, target, decision, stored);
			}
			catch (ProvisioningException ex) {
				if (!AwsErrors.isAlreadyExists(ex)) {
					throw ex;
				}
				// created meanwhile by a concurrent or interrupted run: what is there now
				// must be what was approved. Only when the SDK had sent the call before
				// (its answer lost) may this run have created it itself, and then what is
				// left completes the approved creation; on a first send, it was someone
				// else.
				Set<ResourceKind> begun = attempt.begun();
				if (AwsErrors.isAlreadyExistsAfterResend(ex)) {
					begun = EnumSet.copyOf(resource.kinds());
					begun.addAll(attempt.begun());
				}
				decision = decideAgain(resource, target, approved);
				requireWithin(decision, approved, begun);
				if (decision.writes()) {
					if (!unread) {
						throw ex;
					}
					requestIds = write(resource, target, decision, stored);
				}
			}
		}
		boolean wrote = decision.writes();
		List<String> written = requestIds;
		List<AppliedChange> changes = decision.changes()
			.stream()
			.map((change) -> outcome(change, wrote, written, stored.get()))
			.toList();
		return new Applied(changes, checks(decision), wrote);
	}

	private static <S, W> List<String> write(UserResource<S, W> resource, Target target, Decision<W> decision,
			AtomicReference<@Nullable String> stored) {
		W work = Objects.requireNonNull(decision.work());
		return AwsRequestIds.during(() -> stored.set(resource.writeAndReadBack(target, work)));
	}

	/** Refuses, before writing, a problem or a change the approval does not cover. */
	private static void requireWithin(Decision<?> decision, Plan approved, Set<ResourceKind> begun) {
		if (!decision.problems().isEmpty()) {
			PlanProblem problem = decision.problems().get(0);
			throw new ProvisioningException(problem.resource(), problem.message() + "; nothing written");
		}
		for (PlannedChange change : decision.changes()) {
			if (!approved.covers(change, begun)) {
				throw new ChangedSinceApprovalException(change.resource(),
						change.resource().label() + " changed after the plan was approved (now: " + change.summary()
								+ "); nothing written to it");
			}
		}
	}

	/**
	 * What was done; the document after is what AWS stored where the resource read it
	 * back, else what was decided.
	 */
	private static AppliedChange outcome(PlannedChange change, boolean wrote, List<String> awsRequestIds,
			@Nullable String stored) {
		if (!wrote || change.action() == ChangeAction.NONE) {
			return new AppliedChange(change.resource(), change.resourceArn(), Outcome.UNCHANGED, change.before(),
					change.before(), "Already as required: " + change.summary());
		}
		Outcome outcome = switch (change.action()) {
			case CREATE -> Outcome.CREATED;
			case UPDATE -> Outcome.UPDATED;
			case DELETE -> Outcome.DELETED;
			case NONE -> Outcome.UNCHANGED;
		};
		return new AppliedChange(change.resource(), change.resourceArn(), outcome, change.before(),
				(stored != null) ? stored : change.after(), "Done: " + change.summary(), awsRequestIds);
	}

	/**
	 * A check from what a re-plan found: its detail says what AWS holds compared with the
	 * approved state (what a person looking at the resource would see), and then what a
	 * repair would do.
	 */
	static Check check(PlannedChange change, List<String> problems) {
		ResourceKind kind = change.resource();
		if (!problems.isEmpty()) {
			return new Check(kind, (change.before() == null) ? CheckStatus.MISSING : CheckStatus.DRIFT,
					String.join("; ", problems));
		}
		return switch (change.action()) {
			case NONE -> new Check(kind, CheckStatus.OK, change.summary());
			case CREATE -> new Check(kind, CheckStatus.MISSING,
					kind.label() + " does not exist in AWS. A repair would: " + change.summary());
			case UPDATE, DELETE -> new Check(kind, CheckStatus.DRIFT, observed(change));
		};
	}

	/**
	 * The resources whose documents are IAM policies, compared statement by statement.
	 */
	private static final Set<ResourceKind> POLICY_DOCUMENTS = EnumSet.of(ResourceKind.ROLE_POLICY,
			ResourceKind.SESSION_POLICY, ResourceKind.KEY_POLICY);

	/**
	 * How the live resource differs: statement by statement for a policy document, else
	 * that it differs and what the repair would change.
	 */
	private static String observed(PlannedChange change) {
		String label = change.resource().label();
		if (POLICY_DOCUMENTS.contains(change.resource()) && change.before() != null && change.after() != null) {
			try {
				IamPolicy live = Policies.parse(change.before());
				IamPolicy approved = Policies.parse(change.after());
				if (!live.statements().isEmpty() || !approved.statements().isEmpty()) {
					return "The " + lowerFirst(label) + " in AWS " + Policies.describeObserved(live, approved)
							+ ". A repair would: " + change.summary();
				}
			}
			catch (RuntimeException unreadable) {
				// said by the plan's own words below
			}
		}
		return label + " in AWS differs from the approved settings. A repair would: " + change.summary();
	}

	private static String lowerFirst(String label) {
		// "KMS key policy" keeps its capitals; "Session policy" reads "session policy"
		return (label.length() > 1 && Character.isLowerCase(label.charAt(1)))
				? Character.toLowerCase(label.charAt(0)) + label.substring(1) : label;
	}

	/** Who else assumes this user's role, and with which key. */
	private Sharing sharing(Target target, Collection<UserSpec> others) {
		boolean roleInUse = false;
		boolean roleUsesKey = false;
		for (UserSpec other : others) {
			if (other.serverId().equals(target.serverId()) && other.userName().equals(target.userName())) {
				continue;
			}
			Target otherTarget = this.targets.resolve(other);
			if (otherTarget.roleArn().equals(target.roleArn())) {
				roleInUse = true;
				roleUsesKey |= otherTarget.keyArn().equals(target.keyArn());
			}
		}
		return new Sharing(roleInUse, roleUsesKey);
	}

	/** The settings of a user the portal manages: a suspended user has no keys. */
	private Target resolve(UserSpec spec) {
		return resolve(spec, false);
	}

	/** Validates (a request must have an SSH key, {@code keysRequired}) and derives. */
	private Target resolve(UserSpec spec, boolean keysRequired) {
		validOrThrow(spec, keysRequired);
		return this.targets.resolve(spec, List.of());
	}

	/** The target of an approved plan: stored settings, with the tags it removes. */
	private Target resolve(UserSpec spec, List<String> removedTagKeys) {
		validOrThrow(spec, false);
		return this.targets.resolve(spec, removedTagKeys);
	}

	private void validOrThrow(UserSpec spec, boolean keysRequired) {
		List<FieldViolation> violations = this.validator.validate(spec, keysRequired);
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
	}

	private static Plan plan(Plan.Kind kind, UserSpec spec, List<String> removedTagKeys, List<Decision<?>> decisions) {
		List<PlannedChange> changes = decisions.stream().flatMap((decision) -> decision.changes().stream()).toList();
		List<PlanProblem> problems = decisions.stream().flatMap((decision) -> decision.problems().stream()).toList();
		Map<String, Object> content = new LinkedHashMap<>();
		content.put("kind", kind);
		content.put("spec", spec);
		content.put("changes", changes.stream().map(PlannedChange::approvalBasis).toList());
		content.put("problems", problems);
		if (!removedTagKeys.isEmpty()) {
			// only then: the fingerprints of plans without removals stay as they were
			content.put("removedTagKeys", removedTagKeys);
		}
		String fingerprint = DigestUtils.sha256Hex(Documents.compact(content));
		return new Plan(kind, spec, changes, problems, fingerprint, removedTagKeys);
	}

	/**
	 * Plans many new users as {@link #plan(UserSpec)} does, with the reads they share
	 * (the server, the bucket's encryption and location, the key's metadata and policy)
	 * made once for all of them: each item's plan or, where {@link #plan(UserSpec)} would
	 * throw {@link InvalidUserSpecException}, its violations, in the order given. The
	 * first item is planned alone, so its reads of what the items share serve the others;
	 * what the resources read in bulk for a verification sweep is read so here too (the
	 * dedicated roles of many users in one listing instead of a GetRole each); the
	 * others' own reads (their home folder and Transfer user) are made {@value #PLANNERS}
	 * items at a time, each AWS service's bulkhead still bounding them.
	 * @throws ProvisioningException if AWS fails to answer a read
	 */
	public List<ItemPlan> planBatch(List<UserSpec> specs) {
		if (specs.isEmpty()) {
			return List.of();
		}
		return ReadCache.during(() -> {
			readAhead(specs);
			List<ItemPlan> plans = new ArrayList<>();
			plans.add(planItem(specs.get(0)));
			Map<String, @Nullable Object> shared = ReadCache.snapshot();
			List<Future<ItemPlan>> others = specs.subList(1, specs.size())
				.stream()
				.map((spec) -> this.planners.submit(() -> ReadCache.during(shared, () -> planItem(spec))))
				.toList();
			for (Future<ItemPlan> other : others) {
				plans.add(result(other));
			}
			return plans;
		});
	}

	private ItemPlan planItem(UserSpec spec) {
		try {
			return ItemPlan.of(plan(spec));
		}
		catch (InvalidUserSpecException ex) {
			return ItemPlan.invalid(ex.violations());
		}
	}

	private static ItemPlan result(Future<ItemPlan> plan) {
		try {
			return plan.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while planning a batch", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failed) {
				throw failed;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	@PreDestroy
	void stopPlanners() {
		this.planners.shutdownNow();
	}

	/**
	 * What earlier runs of a request may have written: the resources they began (a run
	 * records each before its first write).
	 *
	 * @param begun the resources an earlier run began, perhaps wrote; empty for a first
	 * attempt
	 */
	public record Attempt(Set<ResourceKind> begun) {

		/**
		 * Nothing of the plan was attempted before: an approved creation may be written
		 * unread ({@link UserResource#createsWithoutReading}).
		 */
		public static final Attempt FIRST = new Attempt(Set.of());

		/** A plan applied again whose earlier attempts may have begun every resource. */
		public static final Attempt AGAIN = new Attempt(EnumSet.allOf(ResourceKind.class));

		public Attempt {
			begun = Set.copyOf(begun);
		}

		/**
		 * A resumed or retried run: an earlier attempt may have created what the plan
		 * creates, so every resource is read first (a read, not a create call that fails,
		 * for what is done), and completing a creation it began is within the approval
		 * ({@link Plan#covers(PlannedChange, Set)}).
		 */
		public static Attempt after(Set<ResourceKind> begun) {
			return new Attempt(begun);
		}

		/** Whether nothing was attempted before. */
		public boolean first() {
			return this.begun.isEmpty();
		}

	}

	/**
	 * What applying one resource did, and the checks it leaves: a written change is as
	 * required now (the resources that AWS could change on the way read it back), an
	 * unwritten one is what the decision found.
	 */
	private record Applied(List<AppliedChange> changes, Map<ResourceKind, Check> decided, boolean wrote) {

		/**
		 * A step applied together with other runs' (one key-policy write for all): each
		 * outcome was decided within its approval with no problem, so what was not
		 * written was as required.
		 */
		static Applied together(List<AppliedChange> changes) {
			Map<ResourceKind, Check> decided = new EnumMap<>(ResourceKind.class);
			changes.forEach((change) -> decided.put(change.resource(),
					new Check(change.resource(), CheckStatus.OK, change.detail())));
			return new Applied(changes, decided, changes.stream().anyMatch(AppliedChange::wrote));
		}

		Check check(AppliedChange change) {
			if (change.wrote()) {
				return new Check(change.resource(), CheckStatus.OK, change.detail());
			}
			return this.decided.get(change.resource());
		}

	}

}
