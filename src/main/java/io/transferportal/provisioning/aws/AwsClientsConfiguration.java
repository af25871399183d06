package io.transferportal.provisioning.aws;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.transfer.TransferClient;

/**
 * The one place that builds AWS clients: region, credentials, endpoint override and retry
 * strategy are set here for every service, so no client is ever configured differently
 * from the others.
 */
@Configuration(proxyBeanMethods = false)
class AwsClientsConfiguration {

	private final AwsProperties properties;

	private final List<ExecutionInterceptor> interceptors;

	AwsClientsConfiguration(AwsProperties properties, ObjectProvider<ExecutionInterceptor> interceptors) {
		this.properties = properties;
		this.interceptors = interceptors.orderedStream().toList();
	}

	@Bean(destroyMethod = "close")
	AwsCredentialsProvider awsCredentialsProvider() {
		return DefaultCredentialsProvider.builder().build();
	}

	@Bean(destroyMethod = "close")
	S3Client s3Client(AwsCredentialsProvider credentials) {
		// path-style against an emulator: virtual-host style would resolve
		// bucket.localhost
		return configure(S3Client.builder(), credentials).forcePathStyle(this.properties.endpoint() != null).build();
	}

	@Bean(destroyMethod = "close")
	IamClient iamClient(AwsCredentialsProvider credentials) {
		return configure(IamClient.builder(), credentials).build();
	}

	@Bean(destroyMethod = "close")
	KmsClient kmsClient(AwsCredentialsProvider credentials) {
		return configure(KmsClient.builder(), credentials).build();
	}

	@Bean(destroyMethod = "close")
	TransferClient transferClient(AwsCredentialsProvider credentials) {
		return configure(TransferClient.builder(), credentials).build();
	}

	@Bean(destroyMethod = "close")
	StsClient stsClient(AwsCredentialsProvider credentials) {
		return configure(StsClient.builder(), credentials).build();
	}

	private <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider credentials) {
		builder.region(Region.of(this.properties.region()))
			.credentialsProvider(credentials)
			// STANDARD backs off on throttling and 5xx; the SDK default (LEGACY) is kept
			// only for compatibility
			.overrideConfiguration(ClientOverrideConfiguration.builder()
				.retryStrategy(RetryMode.STANDARD)
				.executionInterceptors(this.interceptors)
				.build());
		if (this.properties.endpoint() != null) {
			builder.endpointOverride(this.properties.endpoint());
		}
		return builder;
	}

}
