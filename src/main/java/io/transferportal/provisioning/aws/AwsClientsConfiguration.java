package io.transferportal.provisioning.aws;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.transfer.TransferClient;

/**
 * The one place that builds AWS clients: region, credentials, endpoint override, retry
 * strategy, user agent and request-id collection are set here for every service, so no
 * client is ever configured differently from the others.
 */
@Configuration(proxyBeanMethods = false)
class AwsClientsConfiguration {

	/**
	 * What the portal adds to the SDK's user agent, e.g. {@code transfer-portal/1.2.0}.
	 */
	static final String USER_AGENT_PRODUCT = "transfer-portal";

	private final AwsProperties properties;

	private final List<ExecutionInterceptor> interceptors;

	private final String userAgentSuffix;

	AwsClientsConfiguration(AwsProperties properties, ObjectProvider<ExecutionInterceptor> interceptors,
			ObjectProvider<BuildProperties> build, ObjectProvider<MeterRegistry> meters) {
		this.properties = properties;
		List<ExecutionInterceptor> all = new ArrayList<>(interceptors.orderedStream().toList());
		all.add(new AwsRequestIdInterceptor());
		meters.ifAvailable((registry) -> all.add(new AwsCallMetrics(registry)));
		this.interceptors = List.copyOf(all);
		this.userAgentSuffix = USER_AGENT_PRODUCT + "/" + version(build.getIfAvailable());
	}

	@Bean(destroyMethod = "close")
	AwsCredentialsProvider awsCredentialsProvider() {
		return DefaultCredentialsProvider.builder().build();
	}

	@Bean(destroyMethod = "close")
	S3Client s3Client(AwsCredentialsProvider credentials) {
		// path-style against an emulator: virtual-host style would resolve
		// bucket.localhost
		return configure(S3Client.builder(), credentials, "s3", this.properties.maxConcurrentCalls().s3())
			.forcePathStyle(this.properties.endpoint() != null)
			.build();
	}

	@Bean(destroyMethod = "close")
	IamClient iamClient(AwsCredentialsProvider credentials) {
		return configure(IamClient.builder(), credentials, "iam", this.properties.maxConcurrentCalls().iam()).build();
	}

	@Bean(destroyMethod = "close")
	KmsClient kmsClient(AwsCredentialsProvider credentials) {
		return configure(KmsClient.builder(), credentials, "kms", this.properties.maxConcurrentCalls().kms()).build();
	}

	@Bean(destroyMethod = "close")
	TransferClient transferClient(AwsCredentialsProvider credentials) {
		return configure(TransferClient.builder(), credentials, "transfer",
				this.properties.maxConcurrentCalls().transfer())
			.build();
	}

	@Bean(destroyMethod = "close")
	StsClient stsClient(AwsCredentialsProvider credentials) {
		return configure(StsClient.builder(), credentials, "sts", this.properties.maxConcurrentCalls().sts()).build();
	}

	private <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider credentials,
			String service, int maxConcurrentCalls) {
		List<ExecutionInterceptor> interceptors = new ArrayList<>(this.interceptors);
		// first: the other interceptors see a call once it is admitted
		interceptors.add(0, new ServiceBulkhead(service, maxConcurrentCalls));
		builder.region(Region.of(this.properties.region()))
			.credentialsProvider(credentials)
			// STANDARD backs off on throttling and 5xx; the SDK default (LEGACY) is kept
			// only for compatibility
			.overrideConfiguration(ClientOverrideConfiguration.builder()
				.retryStrategy(RetryMode.STANDARD)
				.executionInterceptors(interceptors)
				// CloudTrail records the user agent of every call: this one tells the
				// portal's calls from anyone else's using the same role
				// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
				.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, this.userAgentSuffix)
				.build());
		if (this.properties.endpoint() != null) {
			builder.endpointOverride(this.properties.endpoint());
		}
		return builder;
	}

	/**
	 * The portal's version: from the build information if the build wrote it, else from
	 * the jar's manifest, else {@code dev} (run from the classes directory).
	 */
	static String version(@Nullable BuildProperties build) {
		String version = (build != null) ? build.getVersion() : null;
		if (version == null) {
			version = AwsClientsConfiguration.class.getPackage().getImplementationVersion();
		}
		return (version != null && !version.isBlank()) ? version.strip() : "dev";
	}

}
