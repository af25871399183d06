package io.transferportal.provisioning.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

import org.springframework.stereotype.Component;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.ProvisioningStep;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.StepPlan;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.kms.KeyLookup;

/**
 * Ensures the bucket's default encryption is SSE-KMS with the user's key and S3 Bucket
 * Key on. Never turns encryption off, and never switches a bucket from one KMS key to
 * another: that is a conflict for a person to resolve.
 */
@Component
class BucketEncryptionStep implements ProvisioningStep {

	private static final ResourceKind RESOURCE = ResourceKind.BUCKET_ENCRYPTION;

	private final S3Client s3;

	private final KeyLookup keys;

	BucketEncryptionStep(S3Client s3, KeyLookup keys) {
		this.s3 = s3;
		this.keys = keys;
	}

	@Override
	public int getOrder() {
		return 100;
	}

	@Override
	public Set<ResourceKind> resources() {
		return Set.of(RESOURCE);
	}

	@Override
	public List<FieldViolation> checkInputs(Target target) {
		try {
			this.s3.headBucket((request) -> request.bucket(target.spec().bucket()));
			return List.of();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return List.of(new FieldViolation("bucket", "bucket " + target.spec().bucket() + " does not exist"));
			}
			if (ex.statusCode() == 403) {
				return List.of(new FieldViolation("bucket", "bucket " + target.spec().bucket()
						+ " belongs to another account or the portal may not read it"));
			}
			throw AwsErrors.failure(RESOURCE, "HeadBucket " + target.spec().bucket(), ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(RESOURCE, "HeadBucket " + target.spec().bucket(), ex);
		}
	}

	@Override
	public StepPlan plan(Target target) {
		Encryption current = read(target);
		Encryption desired = Encryption.desired(target.keyArn());
		String arn = target.bucketArn();
		if (current == null) {
			return StepPlan.of(new PlannedChange(RESOURCE, arn, ChangeAction.CREATE, null, desired.document(),
					"Turn on default encryption SSE-KMS with " + target.keyArn() + " and S3 Bucket Key", List.of()));
		}
		if (current.isKms()) {
			if (!sameKey(current, target)) {
				return new StepPlan(
						List.of(PlannedChange.none(RESOURCE, arn, current.document(), "Encrypted with another key")),
						List.of(new PlanProblem(RESOURCE, "Bucket " + target.spec().bucket()
								+ " is already encrypted by default with another KMS key ("
								+ ((current.keyId() != null) ? current.keyId() : "the AWS managed key aws/s3")
								+ "). The portal never switches a bucket's key; use that key or another bucket.")));
			}
			if (current.bucketKeyEnabled()) {
				return StepPlan.of(PlannedChange.none(RESOURCE, arn, current.document(),
						"Already SSE-KMS with this key and S3 Bucket Key"));
			}
			return StepPlan.of(new PlannedChange(RESOURCE, arn, ChangeAction.UPDATE, current.document(),
					desired.document(), "Turn on S3 Bucket Key (the key stays the same)",
					List.of("With S3 Bucket Key, KMS sees the bucket ARN instead of each object ARN as encryption "
							+ "context for new objects; key policies or grants with encryption-context conditions "
							+ "on object ARNs stop matching.")));
		}
		if (!"AES256".equals(current.algorithm())) {
			return new StepPlan(
					List.of(PlannedChange.none(RESOURCE, arn, current.document(), "Unsupported encryption")),
					List.of(new PlanProblem(RESOURCE, "Bucket " + target.spec().bucket() + " uses default encryption "
							+ current.algorithm() + ", which the portal does not change.")));
		}
		List<String> warnings = new ArrayList<>();
		warnings.add("Changes the default encryption of the whole bucket from SSE-S3 to SSE-KMS: every new object "
				+ "written by any user or application is then encrypted with this key, and writers need "
				+ "kms:GenerateDataKey on it. Existing objects are not re-encrypted.");
		return StepPlan.of(new PlannedChange(RESOURCE, arn, ChangeAction.UPDATE, current.document(), desired.document(),
				"Change default encryption from SSE-S3 to SSE-KMS with " + target.keyArn(), warnings));
	}

	@Override
	public List<AppliedChange> apply(Target target) {
		Encryption current = read(target);
		Encryption desired = Encryption.desired(target.keyArn());
		String arn = target.bucketArn();
		if (current != null && current.isKms() && !sameKey(current, target)) {
			throw new ProvisioningException(RESOURCE, "Bucket " + target.spec().bucket()
					+ " was switched to another KMS key after planning; nothing written");
		}
		if (current != null && current.isKms() && current.bucketKeyEnabled()) {
			return List.of(new AppliedChange(RESOURCE, arn, Outcome.UNCHANGED, current.document(), current.document(),
					"Already SSE-KMS with this key"));
		}
		try {
			this.s3.putBucketEncryption((request) -> request.bucket(target.spec().bucket())
				.serverSideEncryptionConfiguration((config) -> config.rules(ServerSideEncryptionRule.builder()
					.applyServerSideEncryptionByDefault(ServerSideEncryptionByDefault.builder()
						.sseAlgorithm(ServerSideEncryption.AWS_KMS)
						.kmsMasterKeyID(target.keyArn())
						.build())
					.bucketKeyEnabled(true)
					.build())));
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(RESOURCE, "PutBucketEncryption on " + target.spec().bucket(), ex);
		}
		return List.of(new AppliedChange(RESOURCE, arn, (current == null) ? Outcome.CREATED : Outcome.UPDATED,
				(current != null) ? current.document() : null, desired.document(),
				"Default encryption set to SSE-KMS with " + target.keyArn() + " and S3 Bucket Key"));
	}

	@Override
	public StepPlan planRemoval(Target target, Sharing sharing) {
		return StepPlan.of(PlannedChange.none(RESOURCE, target.bucketArn(), null,
				"Default encryption stays on: the portal never turns bucket encryption off"));
	}

	@Override
	public List<AppliedChange> remove(Target target, List<PlannedChange> approved) {
		return List.of(new AppliedChange(RESOURCE, target.bucketArn(), Outcome.UNCHANGED, null, null,
				"Default encryption left on"));
	}

	private boolean sameKey(Encryption current, Target target) {
		String keyId = current.keyId();
		if (keyId == null) {
			return false; // aws:kms without a key id means the AWS managed key aws/s3
		}
		if (keyId.equals(target.keyArn()) || keyId.equals(target.keyId())) {
			return true;
		}
		return keyId.contains("alias/") && this.keys.resolveArn(keyId).equals(target.keyArn());
	}

	private @Nullable Encryption read(Target target) {
		return ReadCache.get("s3-encryption:" + target.spec().bucket(), () -> readLive(target));
	}

	private @Nullable Encryption readLive(Target target) {
		try {
			List<ServerSideEncryptionRule> rules = this.s3
				.getBucketEncryption((request) -> request.bucket(target.spec().bucket()))
				.serverSideEncryptionConfiguration()
				.rules();
			if (rules.isEmpty() || rules.get(0).applyServerSideEncryptionByDefault() == null) {
				return null;
			}
			ServerSideEncryptionRule rule = rules.get(0);
			return new Encryption(rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString(),
					rule.applyServerSideEncryptionByDefault().kmsMasterKeyID(),
					Boolean.TRUE.equals(rule.bucketKeyEnabled()));
		}
		catch (S3Exception ex) {
			if ("ServerSideEncryptionConfigurationNotFoundError".equals(AwsErrors.code(ex))) {
				return null; // emulators and older buckets: no default encryption at all
			}
			throw AwsErrors.failure(RESOURCE, "GetBucketEncryption on " + target.spec().bucket(), ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(RESOURCE, "GetBucketEncryption on " + target.spec().bucket(), ex);
		}
	}

	private record Encryption(String algorithm, @Nullable String keyId, boolean bucketKeyEnabled) {

		static Encryption desired(String keyArn) {
			return new Encryption(ServerSideEncryption.AWS_KMS.toString(), keyArn, true);
		}

		boolean isKms() {
			return ServerSideEncryption.AWS_KMS.toString().equals(this.algorithm);
		}

		String document() {
			Map<String, Object> byDefault = new LinkedHashMap<>();
			byDefault.put("SSEAlgorithm", this.algorithm);
			if (this.keyId != null) {
				byDefault.put("KMSMasterKeyID", this.keyId);
			}
			Map<String, Object> rule = new LinkedHashMap<>();
			rule.put("ApplyServerSideEncryptionByDefault", byDefault);
			rule.put("BucketKeyEnabled", this.bucketKeyEnabled);
			return Documents.pretty(Map.of("Rules", List.of(rule)));
		}

	}

}
