package io.transferportal.provisioning.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

class AwsCallMetricsTests {

	@Test
	void anOutcomeIsOneOfAFewWordsWhateverAwsAnswers() {
		assertThat(AwsCallMetrics.outcome(SdkClientException.create("connection refused"))).isEqualTo("unreachable");
		assertThat(AwsCallMetrics.outcome(failure(400, "ThrottlingException"))).isEqualTo("throttled");
		assertThat(AwsCallMetrics.outcome(failure(400, "Throttling"))).isEqualTo("throttled");
		assertThat(AwsCallMetrics.outcome(failure(404, "NoSuchEntity"))).isEqualTo("not_found");
		assertThat(AwsCallMetrics.outcome(failure(400, "ResourceNotFoundException"))).isEqualTo("not_found");
		assertThat(AwsCallMetrics.outcome(failure(409, "EntityAlreadyExists"))).isEqualTo("client_error");
		assertThat(AwsCallMetrics.outcome(failure(503, "ServiceUnavailable"))).isEqualTo("server_error");
	}

	private static AwsServiceException failure(int status, String code) {
		return AwsServiceException.builder()
			.statusCode(status)
			.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
			.build();
	}

}
