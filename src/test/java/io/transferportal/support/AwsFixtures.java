package io.transferportal.support;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.Protocol;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;

/**
 * Creates the servers, buckets, keys and roles a test starts from, each with a unique
 * name.
 */
public class AwsFixtures {

	public static final String ACCOUNT = "123456789012";

	private final TransferClient transfer;

	private final S3Client s3;

	private final KmsClient kms;

	private final IamClient iam;

	AwsFixtures(TransferClient transfer, S3Client s3, KmsClient kms, IamClient iam) {
		this.transfer = transfer;
		this.s3 = s3;
		this.kms = kms;
		this.iam = iam;
	}

	public static String unique(String prefix) {
		return prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
	}

	public String sftpServer() {
		return server(IdentityProviderType.SERVICE_MANAGED, Protocol.SFTP);
	}

	public String server(IdentityProviderType identityProvider, Protocol... protocols) {
		return this.transfer
			.createServer((request) -> request.identityProviderType(identityProvider).protocols(protocols))
			.serverId();
	}

	public String bucket() {
		String name = unique("portal-test-");
		this.s3.createBucket((request) -> request.bucket(name));
		return name;
	}

	/** A key with the default policy, which delegates to the account root. */
	public String rootDelegatingKey() {
		return this.kms.createKey((request) -> request.description("test")).keyMetadata().arn();
	}

	/**
	 * A key whose policy does not delegate to the account: admins and one application
	 * only.
	 */
	public String keyWithoutRootDelegation() {
		return keyWithPolicy(nonDelegatingPolicy().toJson());
	}

	public String keyWithPolicy(String policy) {
		return this.kms.createKey((request) -> request.policy(policy)).keyMetadata().arn();
	}

	/**
	 * The statement of AWS's default key policy that delegates the key to the account's
	 * IAM policies.
	 */
	public static IamStatement accountDelegation() {
		return IamStatement.builder()
			.sid("Enable IAM User Permissions")
			.effect(IamEffect.ALLOW)
			.addPrincipal(IamPrincipalType.AWS, "arn:aws:iam::" + ACCOUNT + ":root")
			.addAction("kms:*")
			.addResource("*")
			.build();
	}

	public static IamPolicy nonDelegatingPolicy() {
		return IamPolicy.builder()
			.id("custom-key-policy")
			.addStatement(IamStatement.builder()
				.sid("KeyAdministrators")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, "arn:aws:iam::" + ACCOUNT + ":role/KeyAdmin")
				.addAction("kms:*")
				.addResource("*")
				.build())
			.addStatement(IamStatement.builder()
				.sid("ApplicationDecryptViaS3")
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, "arn:aws:iam::" + ACCOUNT + ":role/Reporting")
				.addAction("kms:Decrypt")
				.addResource("*")
				.addCondition(IamConditionOperator.STRING_EQUALS, "kms:ViaService", "s3.us-east-1.amazonaws.com")
				.build())
			.build();
	}

	public String keyPolicy(String keyArn) {
		return this.kms.getKeyPolicy((request) -> request.keyId(keyArn).policyName("default")).policy();
	}

	public void encryptBucket(String bucket, ServerSideEncryption algorithm, String keyId) {
		this.s3.putBucketEncryption((request) -> request.bucket(bucket)
			.serverSideEncryptionConfiguration(
					(config) -> config.rules((rule) -> rule.applyServerSideEncryptionByDefault(
							(byDefault) -> byDefault.sseAlgorithm(algorithm).kmsMasterKeyID(keyId)))));
	}

	/**
	 * A bucket encrypted as the portal requires it with this key (SSE-KMS, the key's ARN,
	 * S3 Bucket Key on): its encryption needs no change.
	 */
	public String bucketEncryptedWith(String keyArn) {
		String bucket = bucket();
		this.s3.putBucketEncryption((request) -> request.bucket(bucket)
			.serverSideEncryptionConfiguration((config) -> config.rules((rule) -> rule.bucketKeyEnabled(true)
				.applyServerSideEncryptionByDefault(
						(byDefault) -> byDefault.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(keyArn)))));
		return bucket;
	}

	/**
	 * An existing role trusted by Transfer, as a platform team might already have, under
	 * the path the tests allow ({@value #EXISTING_ROLE_PATH}).
	 */
	public String existingRole() {
		return existingRole(EXISTING_ROLE_PATH,
				IamPolicy.builder()
					.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
						.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
						.addAction("sts:AssumeRole"))
					.build());
	}

	/** An existing role with this path and trust policy. */
	public String existingRole(String path, IamPolicy trust) {
		String name = unique("existing-transfer-role-");
		return this.iam
			.createRole((request) -> request.roleName(name).path(path).assumeRolePolicyDocument(trust.toJson()))
			.role()
			.arn();
	}

	/** The IAM path the tests' settings allow existing roles under. */
	public static final String EXISTING_ROLE_PATH = "/transfer-users/";

	public static UserSpec spec(String serverId, String userName, String bucket, String keyArn, String... keys) {
		return new UserSpec(serverId, userName, bucket, null, keyArn, List.of(keys), AccessLevel.READ_WRITE, null,
				Map.of("team", "payments"));
	}

}
