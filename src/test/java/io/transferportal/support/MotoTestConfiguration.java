package io.transferportal.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Beans for tests against moto_server: the call recorder (picked up by every AWS client)
 * and fixtures.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MotoTestConfiguration {

	@Bean
	AwsCallRecorder awsCallRecorder() {
		return new AwsCallRecorder();
	}

	@Bean
	AwsFixtures awsFixtures(software.amazon.awssdk.services.transfer.TransferClient transfer,
			software.amazon.awssdk.services.s3.S3Client s3, software.amazon.awssdk.services.kms.KmsClient kms,
			software.amazon.awssdk.services.iam.IamClient iam) {
		return new AwsFixtures(transfer, s3, kms, iam);
	}

}
