package io.transferportal.provisioning.s3;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.kms.KeyLookup;

/**
 * The bucket's default encryption: SSE-KMS with the user's key and S3 Bucket Key on.
 * Never turned off, and never switched from one KMS key to another: that is a conflict
 * for a person to resolve.
 */
@Component
class BucketEncryption implements UserResource<BucketEncryption.Encryption, String> {

	private static final ResourceKind KIND = ResourceKind.BUCKET_ENCRYPTION;

	private final S3Client s3;

	private final KeyLookup keys;

	BucketEncryption(S3Client s3, KeyLookup keys) {
		this.s3 = s3;
		this.keys = keys;
	}

	@Override
	public int getOrder() {
		return 100;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
	}

	@Override
	public List<FieldViolation> checkInputs(Target target) {
		String bucket = target.spec().bucket();
		return switch (AwsErrors.presence(KIND, "HeadBucket " + bucket,
				() -> this.s3.headBucket((request) -> request.bucket(bucket)))) {
			case PRESENT -> List.of();
			case NOT_FOUND -> List.of(new FieldViolation("bucket", "bucket " + bucket + " does not exist"));
			case ACCESS_DENIED -> List.of(new FieldViolation("bucket",
					"bucket " + bucket + " belongs to another account or the portal may not read it"));
		};
	}

	/** Shared by every user of the bucket, so a verification run reads it once. */
	@Override
	public @Nullable Encryption read(Target target) {
		return ReadCache.get("s3-encryption:" + target.spec().bucket(), () -> readLive(target));
	}

	private @Nullable Encryption readLive(Target target) {
		String bucket = target.spec().bucket();
		// "ServerSideEncryptionConfigurationNotFoundError" (no default encryption at all:
		// emulators and old buckets) is a not-found answer in the error table
		List<ServerSideEncryptionRule> rules = AwsErrors.findOrNull(KIND, "GetBucketEncryption on " + bucket,
				() -> this.s3.getBucketEncryption((request) -> request.bucket(bucket))
					.serverSideEncryptionConfiguration()
					.rules());
		if (rules == null || rules.isEmpty() || rules.get(0).applyServerSideEncryptionByDefault() == null) {
			return null;
		}
		ServerSideEncryptionByDefault byDefault = rules.get(0).applyServerSideEncryptionByDefault();
		String keyId = byDefault.kmsMasterKeyID();
		// an alias names the key only through KMS; resolved here so the decision stays
		// pure
		String keyArn = (keyId != null && keyId.contains("alias/")) ? this.keys.resolveArn(keyId) : keyId;
		return new Encryption(byDefault.sseAlgorithmAsString(), keyId, keyArn,
				Boolean.TRUE.equals(rules.get(0).bucketKeyEnabled()));
	}

	@Override
	public Decision<String> decide(Target target, @Nullable Encryption live) {
		String arn = target.bucketArn();
		String bucket = target.spec().bucket();
		String desired = Encryption.desired(target.keyArn()).document();
		if (live == null) {
			return Decision.write(target.keyArn(), new PlannedChange(KIND, arn, ChangeAction.CREATE, null, desired,
					"Turn on default encryption SSE-KMS with " + target.keyArn() + " and S3 Bucket Key", List.of()));
		}
		if (live.isKms()) {
			if (!live.isKey(target.keyArn(), target.keyId())) {
				return Decision.refused(new PlanProblem(KIND,
						"Bucket " + bucket + " is already encrypted by default with another KMS key ("
								+ ((live.keyId() != null) ? live.keyId() : "the AWS managed key aws/s3")
								+ "). The portal never switches a bucket's key; use that key or another bucket."),
						PlannedChange.none(KIND, arn, live.document(), "Encrypted with another key"));
			}
			if (live.bucketKeyEnabled()) {
				return Decision.none(PlannedChange.none(KIND, arn, live.document(),
						"Already SSE-KMS with this key and S3 Bucket Key"));
			}
			return Decision.write(target.keyArn(), new PlannedChange(KIND, arn, ChangeAction.UPDATE, live.document(),
					desired, "Turn on S3 Bucket Key (the key stays the same)",
					List.of("With S3 Bucket Key, KMS sees the bucket ARN instead of each object ARN as encryption "
							+ "context for new objects; key policies or grants with encryption-context conditions "
							+ "on object ARNs stop matching.")));
		}
		if (!"AES256".equals(live.algorithm())) {
			return Decision.refused(
					new PlanProblem(KIND,
							"Bucket " + bucket + " uses default encryption " + live.algorithm()
									+ ", which the portal does not change."),
					PlannedChange.none(KIND, arn, live.document(), "Unsupported encryption"));
		}
		return Decision.write(target.keyArn(), new PlannedChange(KIND, arn, ChangeAction.UPDATE, live.document(),
				desired, "Change default encryption from SSE-S3 to SSE-KMS with " + target.keyArn(),
				List.of("Changes the default encryption of the whole bucket from SSE-S3 to SSE-KMS: every new object "
						+ "written by any user or application is then encrypted with this key, and writers need "
						+ "kms:GenerateDataKey on it. Existing objects are not re-encrypted.")));
	}

	@Override
	public Decision<String> decideRemoval(Target target, @Nullable Encryption live, Sharing sharing) {
		return Decision.none(PlannedChange.none(KIND, target.bucketArn(), null,
				"Default encryption stays on: the portal never turns bucket encryption off"));
	}

	/** Removal never reads: bucket encryption is never turned off. */
	@Override
	public @Nullable Encryption readForRemoval(Target target) {
		return null;
	}

	@Override
	public void write(Target target, String keyArn) {
		String bucket = target.spec().bucket();
		AwsErrors.call(KIND, "PutBucketEncryption on " + bucket,
				() -> this.s3.putBucketEncryption((request) -> request.bucket(bucket)
					.serverSideEncryptionConfiguration((config) -> config.rules(ServerSideEncryptionRule.builder()
						.applyServerSideEncryptionByDefault(ServerSideEncryptionByDefault.builder()
							.sseAlgorithm(ServerSideEncryption.AWS_KMS)
							.kmsMasterKeyID(keyArn)
							.build())
						.bucketKeyEnabled(true)
						.build()))));
	}

	/**
	 * A bucket's default encryption as read.
	 *
	 * @param algorithm the SSE algorithm
	 * @param keyId the KMS key as configured (id, ARN or alias), {@code null} for the AWS
	 * managed key
	 * @param keyArn the key's ARN where the configuration names an alias, else as
	 * configured
	 * @param bucketKeyEnabled whether S3 Bucket Key is on
	 */
	record Encryption(String algorithm, @Nullable String keyId, @Nullable String keyArn, boolean bucketKeyEnabled) {

		static Encryption desired(String keyArn) {
			return new Encryption(ServerSideEncryption.AWS_KMS.toString(), keyArn, keyArn, true);
		}

		boolean isKms() {
			return ServerSideEncryption.AWS_KMS.toString().equals(this.algorithm);
		}

		/**
		 * aws:kms without a key id means the AWS managed key aws/s3, never the user's.
		 */
		boolean isKey(String targetArn, String targetId) {
			return this.keyId != null
					&& (this.keyId.equals(targetArn) || this.keyId.equals(targetId) || targetArn.equals(this.keyArn));
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
