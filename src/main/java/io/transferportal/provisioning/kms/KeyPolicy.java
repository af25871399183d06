package io.transferportal.provisioning.kms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.ProvisioningProperties;
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
 */
@Component
class KeyPolicy implements UserResource<IamPolicy, IamPolicy> {

	private static final ResourceKind KIND = ResourceKind.KEY_POLICY;

	/** KMS quota: 32 KB per key policy. */
	static final int MAX_KEY_POLICY_BYTES = 32_768;

	private final KmsClient kms;

	private final KeyLookup keys;

	private final RetryTemplate propagationRetry;

	KeyPolicy(KmsClient kms, KeyLookup keys, ProvisioningProperties properties) {
		this.kms = kms;
		this.keys = keys;
		ProvisioningProperties.Propagation propagation = properties.iamPropagation();
		// KMS rejects a principal it cannot see yet (IAM is eventually consistent after
		// CreateRole); the SDK does not retry that, so the portal does, a bounded number
		// of times
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
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
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
		KeyMetadata key = AwsErrors.findOrNull(KIND, "DescribeKey " + target.keyArn(),
				() -> this.keys.describe(target.keyArn()));
		if (key == null) {
			return List.of(new FieldViolation("kmsKeyArn", "no KMS key " + target.keyId() + " exists"));
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

	/** Shared by every user of the key, so a verification run reads it once. */
	@Override
	public IamPolicy read(Target target) {
		// PolicyName is optional on AWS (it defaults to "default") but required by moto
		return ReadCache
			.get("kms-key-policy:" + target.keyArn(),
					() -> Policies.parse(AwsErrors.call(KIND, "GetKeyPolicy " + target.keyArn(),
							() -> this.kms
								.getKeyPolicy((request) -> request.keyId(target.keyArn()).policyName("default"))
								.policy())));
	}

	@Override
	public Decision<IamPolicy> decide(Target target, @Nullable IamPolicy live) {
		IamPolicy current = required(live);
		String before = Policies.prettyAsIs(current);
		if (KeyPolicies.delegatesToAccount(current, target.partition(), target.accountId(), target.keyArn())) {
			return Decision.none(PlannedChange.none(KIND, target.keyArn(), before,
					"No change: the key policy delegates to the account, so the role policy grants key use"));
		}
		if (KeyPolicies.allowsRole(current, target.roleArn(), target.keyArn())) {
			return Decision.none(PlannedChange.none(KIND, target.keyArn(), before,
					"No change: the key policy already allows role " + target.roleName()));
		}
		IamPolicy patched = KeyPolicies.withRole(current, target.roleArn());
		Decision<IamPolicy> decision = Decision.write(patched, new PlannedChange(KIND, target.keyArn(),
				ChangeAction.UPDATE, before, Policies.prettyAsIs(patched), "Allow role " + target.roleName()
						+ " in statement " + KeyPolicies.PORTAL_SID + "; every other statement stays as it is",
				List.of()));
		int size = patched.toJson().getBytes(StandardCharsets.UTF_8).length;
		if (size > MAX_KEY_POLICY_BYTES) {
			return decision.withProblem(new PlanProblem(KIND,
					"The key policy would be " + size + " bytes; KMS allows " + MAX_KEY_POLICY_BYTES));
		}
		return decision;
	}

	@Override
	public Decision<IamPolicy> decideRemoval(Target target, @Nullable IamPolicy live, Sharing sharing) {
		IamPolicy current = required(live);
		String before = Policies.prettyAsIs(current);
		if (sharing.roleUsesKey()) {
			return Decision.none(PlannedChange.none(KIND, target.keyArn(), before,
					"Role kept in the key policy: another portal user still uses it with this key"));
		}
		if (!KeyPolicies.portalStatementLists(current, target.roleArn())) {
			return Decision.none(PlannedChange.none(KIND, target.keyArn(), before,
					"No change: the portal's statement does not list role " + target.roleName()));
		}
		IamPolicy patched = KeyPolicies.withoutRole(current, target.roleArn());
		return Decision.write(patched,
				new PlannedChange(KIND, target.keyArn(), ChangeAction.UPDATE, before, Policies.prettyAsIs(patched),
						"Remove role " + target.roleName() + " from statement " + KeyPolicies.PORTAL_SID, List.of()));
	}

	@Override
	public void write(Target target, IamPolicy policy) {
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
				throw AwsErrors.failure(KIND, "PutKeyPolicy " + target.keyArn(), sdk);
			}
			throw new ProvisioningException(KIND, "PutKeyPolicy " + target.keyArn() + " failed", cause);
		}
	}

	@Override
	public String lockName(Target target) {
		return "kms-key-policy:" + target.keyArn();
	}

	/** Every KMS key has a policy: {@link #read} never answers {@code null}. */
	private static IamPolicy required(@Nullable IamPolicy live) {
		if (live == null) {
			throw new IllegalArgumentException("A KMS key always has a key policy");
		}
		return live;
	}

}
