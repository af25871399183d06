package io.transferportal.provisioning;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.AwsClient;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.provisioning.aws.AwsProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every AWS client is built one way: configured region, optional endpoint override,
 * standard retries, the portal's user agent.
 */
class AwsClientsConfigurationTests {

	ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
		.withUserConfiguration(AwsOnly.class)
		// the application's clock, which the AWS health indicator reads
		.withBean(Clock.class, Clock::systemUTC);

	@Test
	void endpointOverrideAndRegionApplyToEveryClient() {
		this.runner.withPropertyValues("portal.aws.region=eu-central-1", "portal.aws.endpoint=http://127.0.0.1:4566")
			.run((context) -> {
				List<AwsClient> clients = List.of(context.getBean(S3Client.class), context.getBean(IamClient.class),
						context.getBean(KmsClient.class), context.getBean(TransferClient.class),
						context.getBean(StsClient.class));
				assertThat(clients).allSatisfy((client) -> {
					assertThat(client.serviceClientConfiguration().endpointOverride())
						.contains(URI.create("http://127.0.0.1:4566"));
					assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("eu-central-1");
					assertThat(client.serviceClientConfiguration().overrideConfiguration().retryStrategy()).get()
						.isInstanceOf(StandardRetryStrategy.class);
				});
			});
	}

	@Test
	void everyClientHasABulkheadOfItsOwnWithTheConfiguredLimit() {
		this.runner.withPropertyValues("portal.aws.region=us-east-1", "portal.aws.max-concurrent-calls.iam=3")
			.run((context) -> {
				assertThat(bulkhead(context.getBean(IamClient.class))).hasToString("bulkhead iam (3 calls at once)");
				assertThat(bulkhead(context.getBean(KmsClient.class))).hasToString("bulkhead kms (8 calls at once)");
				assertThat(bulkhead(context.getBean(S3Client.class))).hasToString("bulkhead s3 (16 calls at once)");
				assertThat(bulkhead(context.getBean(TransferClient.class)))
					.hasToString("bulkhead transfer (8 calls at once)");
				assertThat(bulkhead(context.getBean(StsClient.class))).hasToString("bulkhead sts (2 calls at once)");
			});
	}

	@Test
	void aBulkheadLimitOutOfRangeStopsTheStart() {
		this.runner.withPropertyValues("portal.aws.region=us-east-1", "portal.aws.max-concurrent-calls.kms=0")
			.run((context) -> assertThat(context).hasFailed());
	}

	private static ExecutionInterceptor bulkhead(AwsClient client) {
		return client.serviceClientConfiguration()
			.overrideConfiguration()
			.executionInterceptors()
			.stream()
			.filter((interceptor) -> interceptor.toString().startsWith("bulkhead "))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void everyClientNamesThePortalAndItsBuildVersionInItsUserAgent() {
		Properties build = new Properties();
		build.setProperty("version", "1.4.2");
		this.runner.withPropertyValues("portal.aws.region=us-east-1")
			.withBean(BuildProperties.class, () -> new BuildProperties(build))
			.run((context) -> assertThat(clients(context))
				.allSatisfy((client) -> assertThat(client.serviceClientConfiguration()
					.overrideConfiguration()
					.advancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX)).contains("transfer-portal/1.4.2")));
	}

	@Test
	void withoutBuildInformationOrJarManifestTheVersionIsDev() {
		// the test classes run from directories: no build-info.properties, no manifest
		this.runner.withPropertyValues("portal.aws.region=us-east-1")
			.run((context) -> assertThat(clients(context))
				.allSatisfy((client) -> assertThat(client.serviceClientConfiguration()
					.overrideConfiguration()
					.advancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX)).contains("transfer-portal/dev")));
	}

	@Test
	void withoutEndpointTheClientsUseTheRealServiceEndpoints() {
		this.runner.withPropertyValues("portal.aws.region=us-east-1")
			.run((context) -> assertThat(
					context.getBean(KmsClient.class).serviceClientConfiguration().endpointOverride())
				.isEmpty());
	}

	@Test
	void aMissingRegionFailsAtStartUp() {
		this.runner.run((context) -> assertThat(context).hasFailed());
	}

	private static List<AwsClient> clients(ApplicationContext context) {
		return List.of(context.getBean(S3Client.class), context.getBean(IamClient.class),
				context.getBean(KmsClient.class), context.getBean(TransferClient.class),
				context.getBean(StsClient.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AwsProperties.class)
	@ComponentScan(basePackageClasses = AwsProperties.class)
	static class AwsOnly {

	}

}
