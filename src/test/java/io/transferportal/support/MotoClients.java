package io.transferportal.support;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;

/**
 * AWS clients straight to the JVM's moto_server, for tests whose portal runs elsewhere (a
 * process of its own, or behind the fault proxy) and that set up and read back AWS
 * themselves. Close them after use.
 *
 * @param transfer Transfer Family
 * @param s3 S3, path-style as moto needs
 * @param kms KMS
 * @param iam IAM
 */
public record MotoClients(TransferClient transfer, S3Client s3, KmsClient kms, IamClient iam) implements AutoCloseable {

	public static MotoClients create() {
		return create(MotoServer.endpoint(),
				StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
	}

	/**
	 * Clients of another moto_server, or with other credentials (where the server
	 * authorises requests against IAM policies).
	 */
	public static MotoClients create(URI endpoint, AwsCredentialsProvider credentials) {
		return new MotoClients(build(TransferClient.builder(), endpoint, credentials),
				build(S3Client.builder().forcePathStyle(true), endpoint, credentials),
				build(KmsClient.builder(), endpoint, credentials), build(IamClient.builder(), endpoint, credentials));
	}

	/** Fixtures that create servers, buckets and keys with these clients. */
	public AwsFixtures fixtures() {
		return new AwsFixtures(this.transfer, this.s3, this.kms, this.iam);
	}

	private static <B extends AwsClientBuilder<B, C>, C> C build(B builder, URI endpoint,
			AwsCredentialsProvider credentials) {
		return builder.endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build();
	}

	@Override
	public void close() {
		this.transfer.close();
		this.s3.close();
		this.kms.close();
		this.iam.close();
	}

}
