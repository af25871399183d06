package io.transferportal.provisioning.kms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningLocks;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.ProvisioningStep;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.StepPlan;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;

/**
 * Makes sure the KMS key policy lets the user's role use the key. Nothing is written when
 * the policy delegates to the account (IAM policies then suffice) or already allows the
 * role; otherwise the role is added to the portal's own statement. KMS has no concurrency
 * control on key policies, so every read-modify-write holds a per-key lock.
 */
@Component
class KeyPolicyStep implements ProvisioningStep {

	private static final ResourceKind RESOURCE = ResourceKind.KEY_POLICY;

	/** KMS quota: 32 KB per key policy. */
	static final int MAX_KEY_POLICY_BYTES = 32_768;

	private final KmsClient kms;

	private final KeyLookup keys;

	private final ProvisioningLocks locks;

	private final RetryTemplate propagationRetry;

	KeyPolicyStep(KmsClient kms, KeyLookup keys, ProvisioningLocks locks, ProvisioningProperties properties) {
		this.kms = kms;
		this.keys = keys;
		this.locks = locks;
		ProvisioningProperties.Propagation propagation = properties.iamPropagation();
		// KMS rejects a principal it cannot see yet (IAM is eventually consistent after
		// CreateRole); the SDK does
		// not retry that, so the portal does, a bounded number of times
		this.propagationRetry = new RetryTemplate(RetryPolicy.builder()
			.includes(MalformedPolicyDocumentException.class)
			.maxRetries(propagation.maxRetries())
			.delay(propagation.delay())
			.multiplier(2)
			.maxDelay(propagation.maxDelay())
			.build());
	}

	@Override
	public int getOrder() {
		return 300;
	}

	@Override
	public Set<ResourceKind> resources() {
		return Set.of(RESOURCE);
	}

	@Override
	public List<FieldViolation> checkInputs(Target target) {
		String keyAccount = target.keyArn().split(":")[4];
		if (!keyAccount.equals(target.accountId())) {
			return List.of(new FieldViolation("kmsKeyArn",
					"the key belongs to account " + keyAccount
							+ "; keys in other accounts are not supported yet (the portal runs in " + target.accountId()
							+ ")"));
		}
		KeyMetadata key;
		try {
			key = this.keys.describe(target.keyArn());
		}
		catch (KmsException ex) {
			if (AwsErrors.isNotFound(ex)) {
				return List.of(new FieldViolation("kmsKeyArn", "no KMS key " + target.keyId() + " exists"));
			}
			throw AwsErrors.failure(RESOURCE, "DescribeKey " + target.keyArn(), ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(RESOURCE, "DescribeKey " + target.keyArn(), ex);
		}
		List<FieldViolation> violations = new ArrayList<>();
		if (key.keyState() != null && key.keyState() != KeyState.ENABLED) {
			violations.add(new FieldViolation("kmsKeyArn", "the key is " + key.keyStateAsString() + ", not Enabled"));
		}
		if ((key.keySpec() != null && key.keySpec() != KeySpec.SYMMETRIC_DEFAULT)
				|| (key.keyUsage() != null && key.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT)) {
			violations.add(new FieldViolation("kmsKeyArn",
					"S3 default encryption needs a symmetric encryption key; this key is " + key.keySpecAsString()
							+ " for " + key.keyUsageAsString()));
		}
		return violations;
	}

	@Override
	public StepPlan plan(Target target) {
		IamPolicy current = read(target);
		String before = Policies.prettyAsIs(current);
		if (KeyPolicies.delegatesToAccount(current, target.partition(), target.accountId(), target.keyArn())) {
			return StepPlan.of(PlannedChange.none(RESOURCE, target.keyArn(), before,
					"No change: the key policy delegates to the account, so the role policy grants key use"));
		}
		if (KeyPolicies.allowsRole(current, target.roleArn(), target.keyArn())) {
			return StepPlan.of(PlannedChange.none(RESOURCE, target.keyArn(), before,
					"No change: the key policy already allows role " + target.roleName()));
		}
		IamPolicy patched = KeyPolicies.withRole(current, target.roleArn());
		PlannedChange change = new PlannedChange(RESOURCE, target.keyArn(), ChangeAction.UPDATE, before,
				Policies.prettyAsIs(patched), "Allow role " + target.roleName() + " in statement "
						+ KeyPolicies.PORTAL_SID + "; every other statement stays as it is",
				List.of());
		int size = patched.toJson().getBytes(StandardCharsets.UTF_8).length;
		if (size > MAX_KEY_POLICY_BYTES) {
			return new StepPlan(List.of(change), List.of(new PlanProblem(RESOURCE,
					"The key policy would be " + size + " bytes; KMS allows " + MAX_KEY_POLICY_BYTES)));
		}
		return StepPlan.of(change);
	}

	@Override
	public List<AppliedChange> apply(Target target) {
		return this.locks.withLock(lockName(target), () -> {
			IamPolicy current = read(target);
			if (KeyPolicies.delegatesToAccount(current, target.partition(), target.accountId(), target.keyArn())
					|| KeyPolicies.allowsRole(current, target.roleArn(), target.keyArn())) {
				return List
					.of(new AppliedChange(RESOURCE, target.keyArn(), Outcome.UNCHANGED, Policies.prettyAsIs(current),
							Policies.prettyAsIs(current), "Key policy already allows the role"));
			}
			IamPolicy patched = KeyPolicies.withRole(current, target.roleArn());
			write(target, patched);
			return List.of(new AppliedChange(RESOURCE, target.keyArn(), Outcome.UPDATED, Policies.prettyAsIs(current),
					Policies.prettyAsIs(patched), "Added role " + target.roleName() + " to " + KeyPolicies.PORTAL_SID));
		});
	}

	@Override
	public StepPlan planRemoval(Target target, Sharing sharing) {
		IamPolicy current = read(target);
		String before = Policies.prettyAsIs(current);
		if (sharing.roleUsesKey()) {
			return StepPlan.of(PlannedChange.none(RESOURCE, target.keyArn(), before,
					"Role kept in the key policy: another portal user still uses it with this key"));
		}
		if (!KeyPolicies.portalStatementLists(current, target.roleArn())) {
			return StepPlan.of(PlannedChange.none(RESOURCE, target.keyArn(), before,
					"No change: the portal's statement does not list role " + target.roleName()));
		}
		return StepPlan.of(new PlannedChange(RESOURCE, target.keyArn(), ChangeAction.UPDATE, before,
				Policies.prettyAsIs(KeyPolicies.withoutRole(current, target.roleArn())),
				"Remove role " + target.roleName() + " from statement " + KeyPolicies.PORTAL_SID, List.of()));
	}

	@Override
	public List<AppliedChange> remove(Target target, List<PlannedChange> approved) {
		boolean approvedUpdate = approved.stream().anyMatch((change) -> change.action() == ChangeAction.UPDATE);
		if (!approvedUpdate) {
			return List.of(new AppliedChange(RESOURCE, target.keyArn(), Outcome.UNCHANGED, null, null,
					"Key policy left as it is"));
		}
		return this.locks.withLock(lockName(target), () -> {
			IamPolicy current = read(target);
			if (!KeyPolicies.portalStatementLists(current, target.roleArn())) {
				return List.of(new AppliedChange(RESOURCE, target.keyArn(), Outcome.UNCHANGED,
						Policies.prettyAsIs(current), Policies.prettyAsIs(current), "Role already absent"));
			}
			IamPolicy patched = KeyPolicies.withoutRole(current, target.roleArn());
			write(target, patched);
			return List.of(new AppliedChange(RESOURCE, target.keyArn(), Outcome.UPDATED, Policies.prettyAsIs(current),
					Policies.prettyAsIs(patched),
					"Removed role " + target.roleName() + " from " + KeyPolicies.PORTAL_SID));
		});
	}

	private IamPolicy read(Target target) {
		return ReadCache.get("kms-key-policy:" + target.keyArn(), () -> readLive(target));
	}

	private IamPolicy readLive(Target target) {
		try {
			// PolicyName is optional on AWS (it defaults to "default") but required by
			// moto
			return Policies.parse(
					this.kms.getKeyPolicy((request) -> request.keyId(target.keyArn()).policyName("default")).policy());
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(RESOURCE, "GetKeyPolicy " + target.keyArn(), ex);
		}
	}

	private void write(Target target, IamPolicy policy) {
		try {
			this.propagationRetry.execute(() -> this.kms.putKeyPolicy((request) -> request.keyId(target.keyArn())
				.policyName("default")
				.policy(policy.toJson())
				// never bypass: KMS must check that the new policy does not lock the
				// portal out of the key
				.bypassPolicyLockoutSafetyCheck(false)));
		}
		catch (RetryException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof SdkException sdk) {
				throw AwsErrors.failure(RESOURCE, "PutKeyPolicy " + target.keyArn(), sdk);
			}
			throw new io.transferportal.provisioning.ProvisioningException(RESOURCE,
					"PutKeyPolicy " + target.keyArn() + " failed", cause);
		}
	}

	private static String lockName(Target target) {
		return "kms-key-policy:" + target.keyArn();
	}

}
