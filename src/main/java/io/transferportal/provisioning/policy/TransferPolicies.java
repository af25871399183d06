package io.transferportal.provisioning.policy;

import java.util.List;
import java.util.stream.Stream;

import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import io.transferportal.provisioning.AccessLevel;

/**
 * The policy documents AWS documents for a Transfer user on an SSE-KMS bucket, built with
 * the SDK policy builder.
 * <p>
 * Home-folder paths are written out rather than using {@code ${transfer:HomeFolder}}:
 * those variables are not supported with LOGICAL home directories, which the portal uses
 * to chroot each user.
 */
public final class TransferPolicies {

	/**
	 * What reading an SSE-KMS object takes: "To download an object encrypted with an AWS
	 * KMS key, you need kms:Decrypt"
	 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
	 */
	public static final List<String> KMS_READ_ACTIONS = List.of("kms:Decrypt");

	/**
	 * What writing takes as well: "To use an AWS KMS key to encrypt a multipart upload,
	 * you must have kms:GenerateDataKey and kms:Decrypt permissions"
	 * (https://repost.aws/knowledge-center/s3-large-file-encryption-kms-key). The
	 * Transfer guide's sample also lists {@code kms:Encrypt}, which S3 never calls for
	 * SSE-KMS (it encrypts with the generated data key), so the portal leaves it out.
	 */
	public static final List<String> KMS_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");

	/**
	 * AWS's current read/write example for Transfer users "provides programmatic read,
	 * write, and tagging access": the tagging reads are needed to copy (an SFTP rename)
	 * an object that carries tags
	 * (https://docs.aws.amazon.com/transfer/latest/userguide/users-policies-all-access.html).
	 * The ACL actions there are "only required if you need to enable Cross Account
	 * Access", which the portal does not.
	 */
	private static final List<String> READ_ACTIONS = List.of("s3:GetObject", "s3:GetObjectVersion",
			"s3:GetObjectTagging", "s3:GetObjectVersionTagging");

	private static final List<String> WRITE_ACTIONS = List.of("s3:PutObject", "s3:DeleteObject",
			"s3:DeleteObjectVersion");

	/**
	 * Grants on S3 hold only for buckets of the portal's account, never a same-named
	 * bucket elsewhere
	 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-resourceaccount).
	 */
	private static final String RESOURCE_ACCOUNT = "s3:ResourceAccount";

	private TransferPolicies() {
	}

	/**
	 * Trust policy letting Transfer assume the role for this one user only, guarded
	 * against the confused deputy with {@code aws:SourceAccount} and
	 * {@code aws:SourceArn}.
	 */
	public static IamPolicy trustPolicy(String accountId, String userArn) {
		return IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
				.addAction("sts:AssumeRole")
				.addCondition(IamConditionOperator.STRING_EQUALS, "aws:SourceAccount", accountId)
				.addCondition(IamConditionOperator.ARN_LIKE, "aws:SourceArn", userArn)
				.build())
			.build();
	}

	/**
	 * Trust policy of a shared role: Transfer may assume it for any Transfer user of this
	 * account (AWS's confused-deputy example for all users of an account:
	 * {@code aws:SourceArn} {@code arn:aws:transfer:region:account-id:user/*},
	 * https://docs.aws.amazon.com/transfer/latest/userguide/confused-deputy.html). What
	 * each user may do is its session policy.
	 */
	public static IamPolicy sharedTrustPolicy(String partition, String region, String accountId) {
		return IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
				.addAction("sts:AssumeRole")
				.addCondition(IamConditionOperator.STRING_EQUALS, "aws:SourceAccount", accountId)
				.addCondition(IamConditionOperator.ARN_LIKE, "aws:SourceArn",
						"arn:" + partition + ":transfer:" + region + ":" + accountId + ":user/*")
				.build())
			.build();
	}

	/**
	 * The inline policy of a shared role: the access level's actions on the whole bucket
	 * and its key. A session policy "allows you to use the same IAM role for multiple
	 * users", each limited to its own home folder
	 * (https://docs.aws.amazon.com/transfer/latest/userguide/users-policies-session.html):
	 * the effective permissions are the intersection of the two.
	 */
	public static IamPolicy sharedRolePolicy(String partition, String accountId, String bucket, String keyArn,
			AccessLevel accessLevel) {
		String bucketArn = "arn:" + partition + ":s3:::" + bucket;
		List<String> objectActions = objectActions(accessLevel);
		return IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.sid("ListBucket")
				.effect(IamEffect.ALLOW)
				.addAction("s3:ListBucket")
				.addAction("s3:GetBucketLocation")
				.addResource(bucketArn)
				.addCondition(IamConditionOperator.STRING_EQUALS, RESOURCE_ACCOUNT, accountId)
				.build())
			.addStatement(IamStatement.builder()
				.sid("BucketObjects")
				.effect(IamEffect.ALLOW)
				.actionIds(objectActions)
				.addResource(bucketArn + "/*")
				.addCondition(IamConditionOperator.STRING_EQUALS, RESOURCE_ACCOUNT, accountId)
				.build())
			.addStatement(kmsStatement(keyArn, kmsActions(accessLevel)))
			.build();
	}

	/**
	 * Home-folder access plus the KMS statement: the inline policy of a dedicated role,
	 * and the session policy of every user (the effective permissions are the
	 * intersection of the two).
	 */
	public static IamPolicy homeFolderPolicy(String partition, String accountId, String bucket, String prefix,
			String keyArn, AccessLevel accessLevel) {
		String bucketArn = "arn:" + partition + ":s3:::" + bucket;
		List<String> objectActions = objectActions(accessLevel);
		return IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.sid("ListHomeFolder")
				.effect(IamEffect.ALLOW)
				.addAction("s3:ListBucket")
				.addResource(bucketArn)
				.addConditions(IamConditionOperator.STRING_LIKE, "s3:prefix", List.of(prefix + "/*", prefix))
				.addCondition(IamConditionOperator.STRING_EQUALS, RESOURCE_ACCOUNT, accountId)
				.build())
			// clients ask for the bucket's Region (Knowledge Center's Transfer policy);
			// s3:prefix is absent from this request, so it cannot share ListHomeFolder
			.addStatement(IamStatement.builder()
				.sid("BucketLocation")
				.effect(IamEffect.ALLOW)
				.addAction("s3:GetBucketLocation")
				.addResource(bucketArn)
				.addCondition(IamConditionOperator.STRING_EQUALS, RESOURCE_ACCOUNT, accountId)
				.build())
			.addStatement(IamStatement.builder()
				.sid("HomeFolderObjects")
				.effect(IamEffect.ALLOW)
				.actionIds(objectActions)
				.addResource(bucketArn + "/" + prefix + "/*")
				.addCondition(IamConditionOperator.STRING_EQUALS, RESOURCE_ACCOUNT, accountId)
				.build())
			.addStatement(kmsStatement(keyArn, kmsActions(accessLevel)))
			.build();
	}

	/**
	 * The inline policy the portal adds to an existing (not portal-owned) role: the KMS
	 * statement only, with the read/write actions, because users of both access levels
	 * may share the role and key; each user's session policy narrows it to the user's
	 * level.
	 */
	public static IamPolicy kmsOnlyPolicy(String keyArn) {
		return IamPolicy.builder().addStatement(kmsStatement(keyArn, KMS_ACTIONS)).build();
	}

	/** The S3 object actions of an access level. */
	private static List<String> objectActions(AccessLevel accessLevel) {
		return (accessLevel == AccessLevel.READ_ONLY) ? READ_ACTIONS
				: Stream.concat(READ_ACTIONS.stream(), WRITE_ACTIONS.stream()).toList();
	}

	/** The KMS actions a user of this access level needs on the bucket key. */
	public static List<String> kmsActions(AccessLevel accessLevel) {
		return (accessLevel == AccessLevel.READ_ONLY) ? KMS_READ_ACTIONS : KMS_ACTIONS;
	}

	private static IamStatement kmsStatement(String keyArn, List<String> actions) {
		return IamStatement.builder()
			.sid("KmsForBucketEncryption")
			.effect(IamEffect.ALLOW)
			.actionIds(actions)
			.addResource(keyArn)
			.build();
	}

}
