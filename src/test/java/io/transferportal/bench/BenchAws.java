package io.transferportal.bench;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.Protocol;

import io.transferportal.support.AwsFixtures;

/**
 * The benchmark's own AWS clients, through the proxy (so that their calls are delayed and
 * counted like the portal's), and the fixtures it creates with them.
 */
final class BenchAws implements AutoCloseable {

	static final String REGION = "us-east-1";

	/** What the emulator accepts; it never checks signatures. */
	static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("bench", "bench");

	final TransferClient transfer;

	final S3Client s3;

	final KmsClient kms;

	final IamClient iam;

	BenchAws(URI endpoint) {
		StaticCredentialsProvider credentials = StaticCredentialsProvider.create(CREDENTIALS);
		this.transfer = TransferClient.builder()
			.endpointOverride(endpoint)
			.region(Region.of(REGION))
			.credentialsProvider(credentials)
			.build();
		this.s3 = S3Client.builder()
			.endpointOverride(endpoint)
			.region(Region.of(REGION))
			.credentialsProvider(credentials)
			.forcePathStyle(true)
			.build();
		this.kms = KmsClient.builder()
			.endpointOverride(endpoint)
			.region(Region.of(REGION))
			.credentialsProvider(credentials)
			.build();
		// IAM is global: its SigV4 scope is us-east-1
		this.iam = IamClient.builder()
			.endpointOverride(endpoint)
			.region(Region.AWS_GLOBAL)
			.credentialsProvider(credentials)
			.build();
	}

	/** A server with service-managed identities on Amazon S3, offering SFTP. */
	String sftpServer() {
		return this.transfer
			.createServer((request) -> request.identityProviderType(IdentityProviderType.SERVICE_MANAGED)
				.protocols(Protocol.SFTP))
			.serverId();
	}

	/**
	 * A bucket and its key, the bucket's default encryption already SSE-KMS with it.
	 * @param rootDelegating whether the key policy delegates to the account (AWS's
	 * default policy) or lists principals only, so that the portal must add its statement
	 */
	Target target(String name, boolean rootDelegating) {
		String key = rootDelegating
				? this.kms.createKey((request) -> request.description("benchmark " + name)).keyMetadata().arn()
				: this.kms
					.createKey((request) -> request.description("benchmark " + name)
						.policy(AwsFixtures.nonDelegatingPolicy().toJson()))
					.keyMetadata()
					.arn();
		String bucket = "bench-" + name;
		this.s3.createBucket((request) -> request.bucket(bucket));
		this.s3.putBucketEncryption((request) -> request.bucket(bucket)
			.serverSideEncryptionConfiguration((config) -> config.rules((rule) -> rule.bucketKeyEnabled(true)
				.applyServerSideEncryptionByDefault(
						(byDefault) -> byDefault.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(key)))));
		return new Target(bucket, key, rootDelegating);
	}

	@Override
	public void close() {
		this.transfer.close();
		this.s3.close();
		this.kms.close();
		this.iam.close();
	}

	/**
	 * A bucket with default SSE-KMS and its key.
	 *
	 * @param bucket the bucket's name
	 * @param keyArn the key's ARN
	 * @param rootDelegating whether the key policy delegates to the account root
	 */
	record Target(String bucket, String keyArn, boolean rootDelegating) {

	}

}
