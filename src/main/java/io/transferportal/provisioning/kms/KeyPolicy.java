package io.transferportal.provisioning.kms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ProvisioningLocks;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsAccount;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.BatchedWrites;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.LockedStep;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.ProvisioningProperties.KeyPolicyMode;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;

/**
 * The KMS key policy must let the user's role use the key. Nothing is written when the
 * policy delegates to the account (IAM policies then suffice) or already allows the role;
 * otherwise the role is added to the portal's own statement, and every other statement
 * stays as it is. KMS has no concurrency control on key policies, so the engine holds a
 * per-key lock around every read-modify-write.
 * <p>
 * The key itself is checked too, at planning and at every verification: it must be a
 * customer managed, enabled, symmetric encryption key; expiring imported key material and
 * Deny statements that may stop the user are shown to the approver.
 */
@Component
class KeyPolicy implements UserResource<LiveKey, PolicyWrite>, BatchedWrites {

	private static final Logger logger = LoggerFactory.getLogger(KeyPolicy.class);

	private static final ResourceKind KIND = ResourceKind.KEY_POLICY;

	private static final String FIELD = "kmsKeyArn";

	/** KMS quota: 32 KB per key policy. */
	static final int MAX_KEY_POLICY_BYTES = 32_768;

	/** From this share of the quota on, a plan warns. */
	static final int SIZE_WARNING_PERCENT = 80;

	private final KmsClient kms;

	private final KeyLookup keys;

	private final AwsAccount account;

	private final RetryTemplate propagationRetry;

	private final RetryTemplate readBackRetry;

	private final KeyPolicyMode mode;

	private final String rolePath;

	private final KeyPolicyBatches batches;

	@Autowired
	KeyPolicy(KmsClient kms, KeyLookup keys, AwsAccount account, ProvisioningProperties properties) {
		this(kms, keys, account, properties, KeyPolicyBatches.Sleeper.THREAD);
	}

	KeyPolicy(KmsClient kms, KeyLookup keys, AwsAccount account, ProvisioningProperties properties,
			KeyPolicyBatches.Sleeper sleeper) {
		this.kms = kms;
		this.keys = keys;
		this.account = account;
		this.mode = properties.keyPolicyMode();
		this.rolePath = properties.rolePath();
		this.batches = new KeyPolicyBatches(this, properties.iamPropagation(), properties.keyPolicyLinger(), sleeper);
		ProvisioningProperties.Propagation propagation = properties.iamPropagation();
		// KMS rejects a principal it cannot see yet (IAM is eventually consistent after
		// CreateRole: "you might need to enforce a delay before including the new
		// principal in a key policy",
		// https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html); the
		// SDK does not retry that, so the portal does, for about two minutes with the
		// default settings (as Terraform does). Only "invalid principals" is retried: a
		// syntax error or a failed lockout check does not heal with time.
		this.propagationRetry = new RetryTemplate(
				backOff(propagation).predicate(KeyPolicy::isInvalidPrincipal).build());
		// the KMS API is eventually consistent too: a GetKeyPolicy right after a
		// PutKeyPolicy may still answer the old policy
		this.readBackRetry = new RetryTemplate(backOff(propagation).includes(NotStoredYet.class).build());
	}

	private static RetryPolicy.Builder backOff(ProvisioningProperties.Propagation propagation) {
		return RetryPolicy.builder()
			.maxRetries(propagation.maxRetries())
			.delay(propagation.delay())
			.multiplier(2)
			.maxDelay(propagation.maxDelay());
	}

	@Override
	public int getOrder() {
		return 300;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
	}

	@Override
	public List<FieldViolation> checkInputs(Target target) {
		String keyAccount = target.keyArn().split(":")[4];
		if (!keyAccount.equals(target.accountId())) {
			return List.of(new FieldViolation(FIELD,
					"the key belongs to account " + keyAccount
							+ "; keys in other accounts are not supported yet (the portal runs in " + target.accountId()
							+ ")"));
		}
		KeyMetadata key;
		try {
			key = AwsErrors.findOrNull(KIND, "DescribeKey " + target.keyArn(),
					() -> this.keys.describe(target.keyArn()));
		}
		catch (ProvisioningException ex) {
			return deniedField(ex, "DescribeKey", target);
		}
		if (key == null) {
			return List.of(new FieldViolation(FIELD, "no KMS key " + target.keyId() + " exists"));
		}
		Optional<String> refusal = KeyRules.refusal(key);
		if (refusal.isPresent()) {
			return List.of(new FieldViolation(FIELD, refusal.get()));
		}
		List<FieldViolation> violations = new ArrayList<>();
		if (key.keyState() != null && key.keyState() != KeyState.ENABLED) {
			violations.add(new FieldViolation(FIELD, "the key is " + key.keyStateAsString() + ", not Enabled"));
		}
		if ((key.keySpec() != null && key.keySpec() != KeySpec.SYMMETRIC_DEFAULT)
				|| (key.keyUsage() != null && key.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT)) {
			violations
				.add(new FieldViolation(FIELD, "S3 default encryption needs a symmetric encryption key; this key is "
						+ key.keySpecAsString() + " for " + key.keyUsageAsString()));
		}
		if (violations.isEmpty()) {
			// planning reads the key policy next: a key policy that does not let the
			// portal read it is an input problem the requester or a key administrator
			// fixes, not an AWS failure
			try {
				readPolicy(target);
			}
			catch (ProvisioningException ex) {
				return deniedField(ex, "GetKeyPolicy", target);
			}
		}
		return violations;
	}

	/**
	 * The key and its policy, both shared by every user of the key, so a verification run
	 * reads each once. A key that cannot be used (disabled, pending deletion, pending
	 * import) fails the read, which verification reports as an error on the key-policy
	 * check: the policy may be right, but no user of the key can read or write files.
	 */
	@Override
	public LiveKey read(Target target) {
		KeyMetadata key = describe(target);
		KeyRules.unusable(key).ifPresent((reason) -> {
			throw new ProvisioningException(KIND, reason);
		});
		return new LiveKey(key, readPolicy(target));
	}

	/**
	 * A removal goes ahead whatever the key's state: KMS accepts GetKeyPolicy and
	 * PutKeyPolicy in every state
	 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html).
	 */
	@Override
	public LiveKey readForRemoval(Target target) {
		return new LiveKey(describe(target), readPolicy(target));
	}

	private KeyMetadata describe(Target target) {
		KeyMetadata key = kmsCall("DescribeKey", target, () -> AwsErrors.findOrNull(KIND,
				"DescribeKey " + target.keyArn(), () -> this.keys.describe(target.keyArn())));
		if (key == null) {
			throw new ProvisioningException(KIND, "key " + target.keyArn() + " no longer exists");
		}
		return key;
	}

	private IamPolicy readPolicy(Target target) {
		// PolicyName is optional on AWS (it defaults to "default") but required by moto
		return ReadCache.get("kms-key-policy:" + target.keyArn(), () -> Policies.parse(kmsCall("GetKeyPolicy", target,
				() -> AwsErrors.call(KIND, "GetKeyPolicy " + target.keyArn(), () -> getKeyPolicy(target)))));
	}

	private String getKeyPolicy(Target target) {
		return this.kms.getKeyPolicy((request) -> request.keyId(target.keyArn()).policyName("default")).policy();
	}

	@Override
	public Decision<PolicyWrite> decide(Target target, @Nullable LiveKey live) {
		LiveKey key = required(live);
		IamPolicy current = key.policy();
		String before = Policies.prettyAsIs(current);
		List<String> warnings = new ArrayList<>();
		List<PlanProblem> problems = new ArrayList<>();
		KeyRules.expiryWarning(key.metadata()).ifPresent(warnings::add);
		denies(target, current, warnings, problems);
		if (KeyPolicies.delegatesToAccount(current, target.partition(), target.accountId(), target.keyArn())) {
			return new Decision<>(
					List.of(unchanged(target, before, warnings,
							"No change: the key policy delegates to the account, so the role policy grants key use")),
					problems, null);
		}
		if (KeyPolicies.allowsRole(current, target.roleArn(), target.keyArn())) {
			return new Decision<>(List.of(unchanged(target, before, warnings,
					"No change: the key policy already allows role " + target.roleName())), problems, null);
		}
		// role-path mode covers only roles under the portal's path (the statement's
		// aws:PrincipalArn condition); an existing role elsewhere is still named by ARN
		// in
		// the role-list statement, as a key policy must name a principal or delegate to
		// the
		// account
		// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
		// Refusing it instead would break requests the existing-role-paths setting
		// allows.
		if (this.mode == KeyPolicyMode.ROLE_PATH
				&& KeyPolicies.underRolePath(target.roleArn(), target.partition(), target.accountId(), this.rolePath)) {
			return decideRolePath(target, current, before, warnings, problems);
		}
		IamPolicy patched = KeyPolicies.withRole(current, target.roleArn());
		orphans(current, warnings, problems);
		size(patched, warnings, problems);
		return new Decision<>(
				List.of(new PlannedChange(KIND, target.keyArn(), ChangeAction.UPDATE, before,
						Policies.prettyAsIs(patched),
						"Allow role " + target.roleName() + " in statement " + KeyPolicies.PORTAL_SID
								+ "; every other statement stays as it is",
						warnings)),
				problems, new PolicyWrite(patched, target.roleArn(), true));
	}

	/**
	 * {@code role-path} mode for a role under the portal's path: the constant statement
	 * covers it, so once the statement is there nothing is written for any later user.
	 * The summary names no role, so every run that adds the statement is approved for the
	 * same change, and waiting runs share one write.
	 */
	private Decision<PolicyWrite> decideRolePath(Target target, IamPolicy current, String before, List<String> warnings,
			List<PlanProblem> problems) {
		IamStatement wanted = rolePathStatement(target);
		String covered = "roles under " + this.rolePath + " may use the key through S3 in account "
				+ target.accountId();
		if (KeyPolicies.holds(current, wanted)) {
			return new Decision<>(
					List.of(unchanged(target, before, warnings, "No change: covered by the role-path statement "
							+ KeyPolicies.ROLE_PATH_SID + " (" + covered + ")")),
					problems, null);
		}
		IamPolicy patched = KeyPolicies.withRolePathStatement(current, wanted);
		orphans(current, warnings, problems);
		size(patched, warnings, problems);
		String what = KeyPolicies.hasRolePathSid(current) ? "Restore" : "Add";
		return new Decision<>(List.of(new PlannedChange(KIND, target.keyArn(), ChangeAction.UPDATE, before,
				Policies.prettyAsIs(patched),
				what + " the role-path statement " + KeyPolicies.ROLE_PATH_SID + " (" + covered
						+ "; later users need no key-policy write); every other statement stays as it is",
				warnings)), problems, new PolicyWrite(patched, target.roleArn(), true, wanted));
	}

	private IamStatement rolePathStatement(Target target) {
		// a bucket's SSE-KMS key is in the bucket's Region: S3 calls KMS there
		String region = target.keyArn().split(":")[3];
		return KeyPolicies.rolePathStatement(target.partition(), target.accountId(), region, this.rolePath);
	}

	/**
	 * KMS allows 32 KB per key policy: beyond it a problem, from 80 % of it a warning. In
	 * {@code role-list} mode the portal's statement grows by one ARN per role (about 340
	 * roles fit), so both say how to stop the growth.
	 */
	private void size(IamPolicy patched, List<String> warnings, List<PlanProblem> problems) {
		int size = patched.toJson().getBytes(StandardCharsets.UTF_8).length;
		String remedy = (this.mode == KeyPolicyMode.ROLE_LIST)
				? "set portal.provisioning.key-policy-mode=role-path"
						+ ", so that one constant-size statement covers every role under " + this.rolePath
						+ " (no key-policy write for later users)"
				: "roles outside " + this.rolePath + " are listed one by one: use dedicated roles";
		if (size > MAX_KEY_POLICY_BYTES) {
			problems.add(new PlanProblem(KIND, "The key policy would be " + size + " bytes; KMS allows "
					+ MAX_KEY_POLICY_BYTES + " (LimitExceededException): " + remedy));
		}
		else if (size * 100L > MAX_KEY_POLICY_BYTES * (long) SIZE_WARNING_PERCENT) {
			warnings.add("The key policy would be " + size + " bytes, " + (size * 100L / MAX_KEY_POLICY_BYTES)
					+ " % of the " + MAX_KEY_POLICY_BYTES + " KMS allows: before it is full, " + remedy);
		}
	}

	@Override
	public Decision<PolicyWrite> decideRemoval(Target target, @Nullable LiveKey live, Sharing sharing) {
		IamPolicy current = required(live).policy();
		String before = Policies.prettyAsIs(current);
		if (sharing.roleUsesKey()) {
			return Decision.none(PlannedChange.none(KIND, target.keyArn(), before,
					"Role kept in the key policy: another portal user still uses it with this key"));
		}
		if (!KeyPolicies.portalStatementLists(current, target.roleArn())) {
			// the role-path statement is never removed: it names no user, so it cannot
			// tell whether others still rely on it, and removing it would cut them off
			String kept = KeyPolicies.hasRolePathSid(current) ? "; the role-path statement " + KeyPolicies.ROLE_PATH_SID
					+ " stays (it names no user; the key's other users rely on it)" : "";
			return Decision.none(PlannedChange.none(KIND, target.keyArn(), before,
					"No change: the portal's statement does not list role " + target.roleName() + kept));
		}
		IamPolicy patched = KeyPolicies.withoutRole(current, target.roleArn());
		List<String> warnings = new ArrayList<>();
		List<PlanProblem> problems = new ArrayList<>();
		orphans(current, warnings, problems);
		return new Decision<>(
				List.of(new PlannedChange(KIND, target.keyArn(), ChangeAction.UPDATE, before,
						Policies.prettyAsIs(patched),
						"Remove role " + target.roleName() + " from statement " + KeyPolicies.PORTAL_SID, warnings)),
				problems, new PolicyWrite(patched, target.roleArn(), false));
	}

	/**
	 * Deny statements that may stop the role (see {@link DenyStatements} for the rule): a
	 * problem when one certainly applies, a warning when one may.
	 */
	private static void denies(Target target, IamPolicy policy, List<String> warnings, List<PlanProblem> problems) {
		DenyStatements.Caller caller = DenyStatements.Caller.of(target.roleArn(), target.accountId(),
				target.partition(), target.keyArn());
		for (DenyStatements.Finding deny : DenyStatements.find(policy, caller)) {
			String denied = String.join(", ", deny.actions());
			if (deny.certain()) {
				problems.add(new PlanProblem(KIND, "Statement " + deny.statement() + " of the key policy denies "
						+ denied + " to role " + target.roleName()
						+ " (its principal includes the role and no condition spares it), and a deny overrides every"
						+ " allow: the user could not read or write files. Change that statement before approving"));
			}
			else {
				warnings.add("Statement " + deny.statement() + " of the key policy denies " + denied
						+ " and may apply to role " + target.roleName()
						+ " (its principal or conditions could match the role; the portal cannot rule that out):"
						+ " check it, or the user's transfers fail");
			}
		}
	}

	/**
	 * Orphaned principals (deleted roles and users, shown by KMS as unique ids) make
	 * every PutKeyPolicy fail. The portal drops those in its own statement; those in
	 * other statements need a person.
	 */
	private static void orphans(IamPolicy policy, List<String> warnings, List<PlanProblem> problems) {
		for (String orphan : KeyPolicies.portalOrphans(policy)) {
			warnings.add("Statement " + KeyPolicies.PORTAL_SID + ": remove orphaned principal "
					+ KeyPolicies.describeOrphan(orphan)
					+ "; KMS shows a deleted principal by its unique id and refuses every key-policy write that"
					+ " still names it");
		}
		for (Map.Entry<String, List<String>> statement : KeyPolicies.foreignOrphans(policy).entrySet()) {
			problems.add(new PlanProblem(KIND,
					"Statement " + statement.getKey() + " of the key policy names orphaned principal "
							+ String.join(", ", statement.getValue().stream().map(KeyPolicies::describeOrphan).toList())
							+ ": KMS refuses every key-policy write while the policy names a deleted principal, and the"
							+ " portal changes only its own statement " + KeyPolicies.PORTAL_SID
							+ ". Remove it from that statement, then plan again"));
		}
	}

	private static PlannedChange unchanged(Target target, String document, List<String> warnings, String summary) {
		return new PlannedChange(KIND, target.keyArn(), ChangeAction.NONE, document, document, summary, warnings);
	}

	/**
	 * Puts the policy, then reads it back until KMS shows the change (or a bounded time
	 * has passed): the write is done only when the key policy KMS stores allows the role
	 * (or no longer lists it).
	 */
	@Override
	public void write(Target target, PolicyWrite work) {
		writeAndReadBack(target, work);
	}

	/**
	 * The key policy as KMS stored it is what the audit records as the change's after.
	 * The engine does not come here: its runs go through {@link #applyBatched}, which
	 * waits for IAM outside the key's lock. This path, for a caller without a lock,
	 * retries an invalid principal in place.
	 */
	@Override
	public String writeAndReadBack(Target target, PolicyWrite work) {
		try {
			this.propagationRetry.execute(() -> {
				put(target, work.policy());
				return null;
			});
		}
		catch (RetryException ex) {
			throw failure("PutKeyPolicy", target, (ex.getLastException() != null) ? ex.getLastException() : ex);
		}
		return Policies.prettyAsIs(readBack(target, List.of(work)));
	}

	/**
	 * Runs of this key that are waiting for its lock share one PutKeyPolicy (see
	 * {@link KeyPolicyBatches}).
	 */
	@Override
	public List<AppliedChange> applyBatched(LockedStep step, ProvisioningLocks locks) {
		return this.batches.apply(step, locks);
	}

	/** How many runs are queued for the lock (for tests). */
	int queued(String lock) {
		return this.batches.queued(lock);
	}

	/**
	 * One PutKeyPolicy, not retried: the SDK's exception as it comes, so that the caller
	 * decides whether to wait for IAM.
	 */
	void put(Target target, IamPolicy policy) {
		if (KeyPolicies.namesOrphans(policy)) {
			// decisions never get here with an orphan (they drop or refuse it); if one
			// did, KMS would refuse it as an invalid principal, and no retry can help
			throw new ProvisioningException(KIND,
					"PutKeyPolicy " + target.keyArn() + " not sent: the policy names an orphaned principal");
		}
		this.kms.putKeyPolicy((request) -> request.keyId(target.keyArn())
			.policyName("default")
			.policy(policy.toJson())
			// never bypass: KMS must check that the new policy does not lock the
			// portal out of the key
			.bypassPolicyLockoutSafetyCheck(false));
	}

	/**
	 * One PutKeyPolicy, not retried; a failure keeps the SDK's exception as its cause, so
	 * that the caller can tell an invalid principal (wait for IAM) from the rest.
	 */
	void putOnce(Target target, IamPolicy policy) {
		kmsCall("PutKeyPolicy", target, () -> AwsErrors.call(KIND, "PutKeyPolicy " + target.keyArn(), () -> {
			put(target, policy);
			return null;
		}));
	}

	/**
	 * Reads the policy back until KMS shows every change written (or a bounded time has
	 * passed): the write is done only when the key policy KMS stores shows it. This waits
	 * for KMS's own eventual consistency, under the lock: the next writer must start from
	 * what is stored.
	 */
	IamPolicy readBack(Target target, List<PolicyWrite> works) {
		IamPolicy stored;
		try {
			stored = this.readBackRetry.execute(() -> {
				IamPolicy read = Policies.parse(getKeyPolicy(target));
				if (!works.stream().allMatch((work) -> work.shownIn(read, target.keyArn()))) {
					throw new NotStoredYet();
				}
				return read;
			});
		}
		catch (RetryException ex) {
			if (ex.getLastException() instanceof NotStoredYet) {
				PolicyWrite missing = works.get(0);
				throw new ProvisioningException(KIND,
						"PutKeyPolicy " + target.keyArn() + " succeeded, but the key policy read back "
								+ (missing.allowsRole() ? "does not allow" : "still lists") + " role "
								+ missing.roleArn().substring(missing.roleArn().lastIndexOf('/') + 1) + " in statement "
								+ ((missing.rolePathStatement() != null) ? KeyPolicies.ROLE_PATH_SID
										: KeyPolicies.PORTAL_SID)
								+ ": someone changed the key policy at the same time; run again to plan anew");
			}
			throw failure("GetKeyPolicy", target, (ex.getLastException() != null) ? ex.getLastException() : ex);
		}
		IamPolicy written = works.get(works.size() - 1).policy();
		if (!Policies.sameMeaning(stored, written)) {
			// the portal's part is as required; the rest was changed by someone else at
			// the same time (KMS has no concurrency control), or stored in another form
			logger.info("Key policy of {} as read back after PutKeyPolicy differs from the policy written: {}",
					target.keyArn(), Policies.describeDifference(written, stored));
		}
		return stored;
	}

	/**
	 * An AWS answer as a failure of the key policy, AccessDenied naming what is needed.
	 */
	ProvisioningException failure(String operation, Target target, Throwable cause) {
		if (cause instanceof ProvisioningException failure) {
			return failure;
		}
		if (cause instanceof AwsServiceException service && AwsErrors.isAccessDenied(service)) {
			return new ProvisioningException(KIND,
					PortalAccess.denied(operation, target.keyArn(), this.account.callerArn()), service);
		}
		if (cause instanceof SdkException sdk) {
			return AwsErrors.failure(KIND, operation + " " + target.keyArn(), sdk);
		}
		// not an AWS answer: let it through as a direct call would
		if (cause instanceof RuntimeException unchecked) {
			throw unchecked;
		}
		return new ProvisioningException(KIND, operation + " " + target.keyArn() + " failed", cause);
	}

	/**
	 * Runs a KMS read: AccessDenied becomes a failure that says which statement the key
	 * policy must contain for the portal.
	 */
	private <T> T kmsCall(String operation, Target target, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (ProvisioningException ex) {
			if (isAccessDenied(ex)) {
				throw new ProvisioningException(KIND,
						PortalAccess.denied(operation, target.keyArn(), this.account.callerArn()), ex.getCause());
			}
			throw ex;
		}
	}

	private List<FieldViolation> deniedField(ProvisioningException ex, String operation, Target target) {
		if (isAccessDenied(ex)) {
			return List.of(new FieldViolation(FIELD,
					PortalAccess.denied(operation, target.keyArn(), this.account.callerArn())));
		}
		throw ex;
	}

	private static boolean isAccessDenied(@Nullable Throwable ex) {
		return ex instanceof ProvisioningException failure && failure.getCause() instanceof AwsServiceException service
				&& AwsErrors.isAccessDenied(service);
	}

	/**
	 * KMS refusing a principal it cannot see yet, which heals once IAM has propagated a
	 * just-created role (the other MalformedPolicyDocument answers do not heal).
	 */
	static boolean isInvalidPrincipal(@Nullable Throwable ex) {
		if (!(ex instanceof MalformedPolicyDocumentException malformed)) {
			return false;
		}
		String message = (malformed.awsErrorDetails() != null) ? malformed.awsErrorDetails().errorMessage()
				: malformed.getMessage();
		return message != null && message.toLowerCase(Locale.ROOT).contains("principal");
	}

	@Override
	public String lockName(Target target) {
		return "kms-key-policy:" + target.keyArn();
	}

	/** Every KMS key has a policy: {@link #read} never answers {@code null}. */
	private static LiveKey required(@Nullable LiveKey live) {
		if (live == null) {
			throw new IllegalArgumentException("A KMS key always has a key policy");
		}
		return live;
	}

	/** The key policy read back does not show the change yet. */
	private static final class NotStoredYet extends RuntimeException {

		NotStoredYet() {
			super("the key policy read back does not show the change yet", null, false, false);
		}

	}

}
