package io.transferportal.realaws;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.aws.AwsAccount;
import io.transferportal.provisioning.aws.AwsProperties;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Targets;
import io.transferportal.support.AwsCallRecorder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link RealAwsScenario} against a real AWS account: run once by a platform team
 * before adopting the portal, never in the normal build. Enabled only with
 * {@code PORTAL_REAL_AWS=1}; credentials come from the SDK default chain (environment,
 * profile, SSO, instance or container role) and the region from the default region chain
 * ({@code AWS_REGION}, the profile). {@code PORTAL_REAL_AWS_SERVER_ID} names an existing
 * Transfer server to use instead of creating one (a server costs money per hour). See
 * {@code docs/real-aws-test.md} for the command, the permissions and the clean-up.
 * <p>
 * The portal's own Spring context, with no endpoint override (unlike the moto and demo
 * set-ups) and the portal's default IAM-propagation retries, on an in-memory H2.
 */
@EnabledIfEnvironmentVariable(named = "PORTAL_REAL_AWS", matches = "1")
@SpringBootTest
class RealAwsTests {

	/**
	 * The build sets these system properties to {@code test} so that requests to
	 * moto_server are signed; the default chain reads them first, so here they would hide
	 * the real credentials.
	 */
	private static final List<String> MOTO_CREDENTIALS = List.of("aws.accessKeyId", "aws.secretAccessKey");

	private static final Map<String, String> hidden = new HashMap<>();

	@Autowired
	AwsProperties properties;

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	Targets targets;

	@Autowired
	ProvisioningProperties provisioning;

	@Autowired
	AwsAccount account;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	S3Client s3;

	@Autowired
	IamClient iam;

	@Autowired
	KmsClient kms;

	@Autowired
	TransferClient transfer;

	@BeforeAll
	static void useTheDefaultCredentialsChain() {
		for (String name : MOTO_CREDENTIALS) {
			if ("test".equals(System.getProperty(name))) {
				hidden.put(name, System.clearProperty(name));
			}
		}
	}

	@AfterAll
	static void restoreTheBuildsSettings() {
		hidden.forEach(System::setProperty);
		hidden.clear();
	}

	@DynamicPropertySource
	static void realAccount(DynamicPropertyRegistry registry) {
		registry.add("portal.aws.region", RealAwsTests::region);
		// the path the permissions in docs/real-aws-test.md allow for the test's existing
		// role
		registry.add("portal.provisioning.existing-role-paths", () -> "/transfer-portal-test/");
	}

	@Test
	void provisionsVerifiesAndRemovesTransferUsersInARealAccount() {
		assertThat(this.properties.endpoint()).as("no endpoint override against real AWS (portal.aws.endpoint)")
			.isNull();
		String server = System.getenv("PORTAL_REAL_AWS_SERVER_ID");
		RealAwsScenario scenario = new RealAwsScenario(this.engine, this.targets, this.provisioning, this.account,
				this.recorder, this.s3, this.iam, this.kms, this.transfer,
				(server != null && !server.isBlank()) ? server : null);
		scenario.runAndCleanUp();
	}

	private static String region() {
		try {
			return new DefaultAwsRegionProviderChain().getRegion().id();
		}
		catch (SdkClientException ex) {
			throw new IllegalStateException("No AWS region: set AWS_REGION (or a region in the AWS profile)", ex);
		}
	}

	/** The AWS calls the portal makes, to show that a second apply writes nothing. */
	@TestConfiguration(proxyBeanMethods = false)
	static class CallRecording {

		@Bean
		AwsCallRecorder awsCallRecorder(JdbcClient jdbc) {
			return new AwsCallRecorder(jdbc);
		}

	}

}
