package io.transferportal.provisioning.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.aws.AwsErrors.Presence;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.kms.KeyLookup;

/**
 * The bucket's default encryption: SSE-KMS with the user's key and S3 Bucket Key on.
 * Never turned off, never switched from one KMS key to another (a conflict for a person
 * to resolve), and never loosened: the rule's BlockedEncryptionTypes are written back as
 * read.
 * <p>
 * Every S3 call names the portal's account as the expected bucket owner: 'Because Amazon
 * S3 identifies buckets based on their names, an application that uses an incorrect
 * bucket name in a request could inadvertently perform operations against a different
 * bucket than expected'
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html).
 */
@Component
class BucketEncryption implements UserResource<BucketEncryption.Bucket, BucketEncryption.Encryption> {

	private static final ResourceKind KIND = ResourceKind.BUCKET_ENCRYPTION;

	private final S3Client s3;

	private final KeyLookup keys;

	BucketEncryption(S3Client s3, KeyLookup keys) {
		this.s3 = s3;
		this.keys = keys;
	}

	/**
	 * After the key policy (300): that write is the one most likely to fail on a real
	 * account (principals KMS does not know yet, a policy the portal may not change), and
	 * it must fail before the bucket-wide change that affects every writer of the bucket,
	 * so that a failed run does not leave the bucket encrypted with a key its new user
	 * cannot use yet. Before the Transfer user (400), whose uploads need the bucket
	 * default.
	 */
	@Override
	public int getOrder() {
		return 350;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
	}

	/**
	 * The bucket must exist, belong to the portal's account and be in the key's Region.
	 * "Amazon S3 does not validate the KMS key ID provided in PutBucketEncryption
	 * requests"
	 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html), so
	 * a default-encryption key from another Region would be accepted and then break every
	 * writer of the bucket. GetBucketLocation answers for a bucket of any Region (a
	 * Region-bound HeadBucket would only get a redirect); S3 answers 403 when the bucket
	 * belongs to another account than the expected owner.
	 */
	@Override
	public List<FieldViolation> checkInputs(Target target) {
		String bucket = target.spec().bucket();
		// the plans of a batch share the bucket, so they share this read
		Location location = ReadCache.get("s3-bucket-location:" + bucket, () -> {
			AtomicReference<@Nullable String> constraint = new AtomicReference<>();
			AwsErrors.Presence presence = AwsErrors.presence(KIND, "GetBucketLocation " + bucket,
					() -> constraint.set(this.s3
						.getBucketLocation((request) -> request.bucket(bucket).expectedBucketOwner(target.accountId()))
						.locationConstraintAsString()));
			return new Location(presence, constraint.get());
		});
		return switch (location.presence()) {
			case PRESENT -> checkRegion(target, regionOf(location.constraint()));
			case NOT_FOUND -> List.of(new FieldViolation("bucket", "bucket " + bucket + " does not exist"));
			case ACCESS_DENIED -> List.of(new FieldViolation("bucket",
					"bucket " + bucket + " belongs to another account or the portal may not read it "
							+ "(GetBucketLocation was denied: the portal needs s3:GetBucketLocation on the bucket)"));
		};
	}

	private static List<FieldViolation> checkRegion(Target target, String bucketRegion) {
		String keyRegion = keyRegion(target.keyArn());
		if (bucketRegion.equals(keyRegion)) {
			return List.of();
		}
		return List.of(new FieldViolation("bucket",
				"bucket " + target.spec().bucket() + " is in Region " + bucketRegion + ", but the KMS key and the "
						+ "portal are in " + keyRegion + "; S3 would accept that key as the bucket's default "
						+ "encryption and then fail every upload, so use a bucket in " + keyRegion));
	}

	/**
	 * The Region a GetBucketLocation answer names: "Buckets in Region us-east-1 have a
	 * LocationConstraint of null", and the legacy value {@code EU} is eu-west-1
	 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
	 */
	static String regionOf(@Nullable String locationConstraint) {
		if (locationConstraint == null || locationConstraint.isEmpty()) {
			return "us-east-1";
		}
		if ("EU".equals(locationConstraint)) {
			return "eu-west-1";
		}
		return locationConstraint;
	}

	/** arn:partition:kms:region:account:key/id. */
	private static String keyRegion(String keyArn) {
		return keyArn.split(":", 6)[3];
	}

	/** Shared by every user of the bucket, so a verification run reads it once. */
	@Override
	public Bucket read(Target target) {
		return ReadCache.get("s3-bucket:" + target.spec().bucket(), () -> readLive(target));
	}

	private Bucket readLive(Target target) {
		String bucket = target.spec().bucket();
		String owner = target.accountId();
		// "ServerSideEncryptionConfigurationNotFoundError" (no default encryption at all:
		// emulators and old buckets) is a not-found answer in the error table
		List<ServerSideEncryptionRule> rules = AwsErrors.findOrNull(KIND, "GetBucketEncryption on " + bucket,
				() -> this.s3.getBucketEncryption((request) -> request.bucket(bucket).expectedBucketOwner(owner))
					.serverSideEncryptionConfiguration()
					.rules());
		// "NoSuchBucketPolicy" (404): the bucket has no policy; a portal not yet granted
		// s3:GetBucketPolicy gets a warning instead of a failed plan
		AtomicReference<@Nullable String> policy = new AtomicReference<>();
		Presence presence = AwsErrors.presence(KIND, "GetBucketPolicy on " + bucket, () -> policy
			.set(this.s3.getBucketPolicy((request) -> request.bucket(bucket).expectedBucketOwner(owner)).policy()));
		return new Bucket(encryption(rules), policy.get(), presence != Presence.ACCESS_DENIED);
	}

	private @Nullable Encryption encryption(@Nullable List<ServerSideEncryptionRule> rules) {
		if (rules == null || rules.isEmpty() || rules.get(0).applyServerSideEncryptionByDefault() == null) {
			return null;
		}
		ServerSideEncryptionRule rule = rules.get(0);
		ServerSideEncryptionByDefault byDefault = rule.applyServerSideEncryptionByDefault();
		String keyId = byDefault.kmsMasterKeyID();
		// an alias names the key only through KMS; resolved here so the decision stays
		// pure
		String keyArn = (keyId != null && keyId.contains("alias/")) ? this.keys.resolveArn(keyId) : keyId;
		List<String> blocked = (rule.blockedEncryptionTypes() != null)
				? rule.blockedEncryptionTypes().encryptionTypeAsStrings() : null;
		return new Encryption(byDefault.sseAlgorithmAsString(), keyId, keyArn,
				Boolean.TRUE.equals(rule.bucketKeyEnabled()), blocked);
	}

	@Override
	public Decision<Encryption> decide(Target target, @Nullable Bucket bucketState) {
		Bucket live = (bucketState != null) ? bucketState : new Bucket(null, null, true);
		List<String> policyWarnings = live.policyReadable() ? BucketPolicyWarnings.of(live.policy())
				: List.of(BucketPolicyWarnings.UNREADABLE);
		Encryption encryption = live.encryption();
		String arn = target.bucketArn();
		String bucket = target.spec().bucket();
		if (encryption == null) {
			Encryption desired = Encryption.desired(target.keyArn(), null);
			return Decision.write(desired,
					new PlannedChange(KIND, arn, ChangeAction.CREATE, null, desired.document(),
							"Turn on default encryption SSE-KMS with " + target.keyArn() + " and S3 Bucket Key",
							policyWarnings));
		}
		if (encryption.isKms()) {
			if (!encryption.isKey(target.keyArn(), target.keyId())) {
				return Decision.refused(new PlanProblem(KIND,
						"Bucket " + bucket + " is already encrypted by default with another KMS key ("
								+ ((encryption.keyId() != null) ? encryption.keyId() : "the AWS managed key aws/s3")
								+ "). The portal never switches a bucket's key; use that key or another bucket."),
						none(arn, encryption, "Encrypted with another key", policyWarnings));
			}
			if (encryption.bucketKeyEnabled()) {
				return Decision
					.none(none(arn, encryption, "Already SSE-KMS with this key and S3 Bucket Key", policyWarnings));
			}
			Encryption desired = Encryption.desired(target.keyArn(), encryption.blockedEncryptionTypes());
			return Decision.write(desired,
					new PlannedChange(KIND, arn, ChangeAction.UPDATE, encryption.document(), desired.document(),
							"Turn on S3 Bucket Key (the key stays the same)",
							with("With S3 Bucket Key, KMS sees the bucket ARN instead of each object ARN as "
									+ "encryption context for new objects; key policies or grants with "
									+ "encryption-context conditions on object ARNs stop matching.", policyWarnings)));
		}
		if (!"AES256".equals(encryption.algorithm())) {
			return Decision.refused(
					new PlanProblem(KIND,
							"Bucket " + bucket + " uses default encryption " + encryption.algorithm()
									+ ", which the portal does not change."),
					none(arn, encryption, "Unsupported encryption", policyWarnings));
		}
		Encryption desired = Encryption.desired(target.keyArn(), encryption.blockedEncryptionTypes());
		return Decision.write(desired, new PlannedChange(KIND, arn, ChangeAction.UPDATE, encryption.document(),
				desired.document(), "Change default encryption from SSE-S3 to SSE-KMS with " + target.keyArn(),
				with("Changes the default encryption of the whole bucket from SSE-S3 to SSE-KMS: every new object "
						+ "written by any user or application is then encrypted with this key, and writers need "
						+ "kms:GenerateDataKey on it. Existing objects are not re-encrypted.", policyWarnings)));
	}

	private static PlannedChange none(String arn, Encryption live, String summary, List<String> warnings) {
		return new PlannedChange(KIND, arn, ChangeAction.NONE, live.document(), live.document(), summary, warnings);
	}

	private static List<String> with(String warning, List<String> more) {
		List<String> all = new ArrayList<>();
		all.add(warning);
		all.addAll(more);
		return all;
	}

	@Override
	public Decision<Encryption> decideRemoval(Target target, @Nullable Bucket live, Sharing sharing) {
		return Decision.none(PlannedChange.none(KIND, target.bucketArn(), null,
				"Default encryption stays on: the portal never turns bucket encryption off"));
	}

	/** Removal never reads: bucket encryption is never turned off. */
	@Override
	public @Nullable Bucket readForRemoval(Target target) {
		return null;
	}

	@Override
	public void write(Target target, Encryption desired) {
		AwsErrors.call(KIND, "PutBucketEncryption on " + target.spec().bucket(),
				() -> this.s3.putBucketEncryption(request(target, desired)));
	}

	/**
	 * The PutBucketEncryption request for a decided configuration. BlockedEncryptionTypes
	 * is sent exactly as read: 'Starting April 2026, Amazon S3 automatically disables
	 * server-side encryption with customer-provided keys (SSE-C) for all new general
	 * purpose buckets ... This setting is a parameter on the PutBucketEncryption API'
	 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html),
	 * so a rule written without it turns SSE-C back on.
	 */
	static PutBucketEncryptionRequest request(Target target, Encryption desired) {
		ServerSideEncryptionRule.Builder rule = ServerSideEncryptionRule.builder()
			.applyServerSideEncryptionByDefault(ServerSideEncryptionByDefault.builder()
				.sseAlgorithm(desired.algorithm())
				.kmsMasterKeyID(desired.keyId())
				.build())
			.bucketKeyEnabled(desired.bucketKeyEnabled());
		if (desired.blockedEncryptionTypes() != null) {
			rule.blockedEncryptionTypes(
					(blocked) -> blocked.encryptionTypeWithStrings(desired.blockedEncryptionTypes()));
		}
		return PutBucketEncryptionRequest.builder()
			.bucket(target.spec().bucket())
			.expectedBucketOwner(target.accountId())
			.serverSideEncryptionConfiguration((config) -> config.rules(rule.build()))
			.build();
	}

	/**
	 * What the decision reads: the default encryption and the bucket policy.
	 *
	 * @param encryption the default encryption, {@code null} when there is none
	 * @param policy the bucket policy JSON, {@code null} when there is none or it could
	 * not be read
	 * @param policyReadable whether the portal may read the bucket policy
	 */
	record Bucket(@Nullable Encryption encryption, @Nullable String policy, boolean policyReadable) {

	}

	/**
	 * A bucket's default encryption, as read or as the portal writes it.
	 *
	 * @param algorithm the SSE algorithm
	 * @param keyId the KMS key as configured (id, ARN or alias), {@code null} for the AWS
	 * managed key
	 * @param keyArn the key's ARN where the configuration names an alias, else as
	 * configured
	 * @param bucketKeyEnabled whether S3 Bucket Key is on
	 * @param blockedEncryptionTypes the rule's BlockedEncryptionTypes (e.g.
	 * {@code SSE-C}), {@code null} when the rule has none
	 */
	record Encryption(String algorithm, @Nullable String keyId, @Nullable String keyArn, boolean bucketKeyEnabled,
			@Nullable List<String> blockedEncryptionTypes) {

		Encryption {
			blockedEncryptionTypes = (blockedEncryptionTypes != null) ? List.copyOf(blockedEncryptionTypes) : null;
		}

		/** SSE-KMS with the key and Bucket Key, keeping what the bucket blocks. */
		static Encryption desired(String keyArn, @Nullable List<String> blockedEncryptionTypes) {
			return new Encryption(ServerSideEncryption.AWS_KMS.toString(), keyArn, keyArn, true,
					blockedEncryptionTypes);
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
			if (this.blockedEncryptionTypes != null) {
				rule.put("BlockedEncryptionTypes", Map.of("EncryptionType", this.blockedEncryptionTypes));
			}
			return Documents.pretty(Map.of("Rules", List.of(rule)));
		}

	}

	/**
	 * What GetBucketLocation answered.
	 *
	 * @param presence whether the bucket exists and may be read
	 * @param constraint its location constraint, {@code null} for us-east-1
	 */
	private record Location(AwsErrors.Presence presence, @Nullable String constraint) {
	}

}
