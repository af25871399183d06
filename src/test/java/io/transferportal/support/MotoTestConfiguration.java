package io.transferportal.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;

/**
 * Beans for tests against moto_server: the call recorder (picked up by every AWS client)
 * and fixtures.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MotoTestConfiguration {

	@Bean
	AwsCallRecorder awsCallRecorder(JdbcClient jdbc) {
		return new AwsCallRecorder(jdbc);
	}

	@Bean
	AwsFixtures awsFixtures(TransferClient transfer, S3Client s3, KmsClient kms, IamClient iam) {
		return new AwsFixtures(transfer, s3, kms, iam);
	}

}
