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
	 * The KMS permissions Transfer needs on the bucket key (AWS Transfer user guide,
	 * "encryption at rest").
	 */
	public static final List<String> KMS_ACTIONS = List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");

	private static final List<String> READ_ACTIONS = List.of("s3:GetObject", "s3:GetObjectVersion");

	private static final List<String> WRITE_ACTIONS = List.of("s3:PutObject", "s3:DeleteObject",
			"s3:DeleteObjectVersion");

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
	 * Home-folder access plus the KMS statement: the inline policy of a dedicated role,
	 * and the session policy of every user (the effective permissions are the
	 * intersection of the two).
	 */
	public static IamPolicy homeFolderPolicy(String partition, String bucket, String prefix, String keyArn,
			AccessLevel accessLevel) {
		String bucketArn = "arn:" + partition + ":s3:::" + bucket;
		List<String> objectActions = (accessLevel == AccessLevel.READ_ONLY) ? READ_ACTIONS
				: Stream.concat(READ_ACTIONS.stream(), WRITE_ACTIONS.stream()).toList();
		return IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.sid("ListHomeFolder")
				.effect(IamEffect.ALLOW)
				.addAction("s3:ListBucket")
				.addResource(bucketArn)
				.addConditions(IamConditionOperator.STRING_LIKE, "s3:prefix", List.of(prefix + "/*", prefix))
				.build())
			.addStatement(IamStatement.builder()
				.sid("HomeFolderObjects")
				.effect(IamEffect.ALLOW)
				.actionIds(objectActions)
				.addResource(bucketArn + "/" + prefix + "/*")
				.build())
			.addStatement(kmsStatement(keyArn))
			.build();
	}

	/**
	 * The inline policy the portal adds to an existing (not portal-owned) role: the KMS
	 * statement only.
	 */
	public static IamPolicy kmsOnlyPolicy(String keyArn) {
		return IamPolicy.builder().addStatement(kmsStatement(keyArn)).build();
	}

	public static IamStatement kmsStatement(String keyArn) {
		return IamStatement.builder()
			.sid("KmsForBucketEncryption")
			.effect(IamEffect.ALLOW)
			.actionIds(KMS_ACTIONS)
			.addResource(keyArn)
			.build();
	}

}
