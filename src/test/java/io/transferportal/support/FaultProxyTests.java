package io.transferportal.support;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;

import io.transferportal.support.FaultProxy.Fault;
import io.transferportal.support.FaultProxy.Faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fault proxy's answers, through the SDK as the portal uses it (standard retries, 3
 * attempts): each service's fault has the shape the SDK recognizes (throttling as
 * throttling, a 5xx as retryable, a dropped connection as a client error), and a
 * connection dropped after the call leaves the call applied.
 */
class FaultProxyTests {

	private static FaultProxy proxy;

	@BeforeAll
	static void start() throws Exception {
		proxy = FaultProxy.start(MotoServer.endpoint());
	}

	@AfterAll
	static void stop() {
		proxy.close();
	}

	@BeforeEach
	void noFaults() {
		proxy.faults(Faults.none());
		proxy.resetInjected();
	}

	@Test
	void throttlingIsRecognizedAsThrottlingByEveryService() {
		proxy.faults(Faults.of(1, Fault.THROTTLING));
		try (KmsClient kms = client(KmsClient.builder(), 3);
				IamClient iam = client(IamClient.builder(), 3);
				S3Client s3 = client(S3Client.builder().forcePathStyle(true), 3);
				TransferClient transfer = client(TransferClient.builder(), 3)) {
			assertThrottled(() -> kms.listKeys(), "ThrottlingException");
			assertThrottled(() -> iam.listRoles(), "Throttling");
			assertThrottled(() -> s3.listBuckets(), "SlowDown");
			assertThrottled(() -> transfer.listServers(), "ThrottlingException");
		}
		// every attempt the SDK made got its fault
		assertThat(proxy.injected()).containsEntry(Fault.THROTTLING, 12L);
	}

	@Test
	void serverErrorsAreRetriedThenReportedWithTheServicesCode() {
		proxy.faults(Faults.of(1, Fault.INTERNAL_ERROR));
		try (KmsClient kms = client(KmsClient.builder(), 3); IamClient iam = client(IamClient.builder(), 3)) {
			assertThatExceptionOfType(AwsServiceException.class).isThrownBy(kms::listKeys).satisfies((ex) -> {
				assertThat(ex.statusCode()).isEqualTo(500);
				assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("KMSInternalException");
				assertThat(ex.numAttempts()).isEqualTo(3);
			});
			assertThatExceptionOfType(AwsServiceException.class).isThrownBy(iam::listRoles).satisfies((ex) -> {
				assertThat(ex.statusCode()).isEqualTo(500);
				assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("ServiceFailure");
			});
		}
		proxy.faults(Faults.of(1, Fault.SERVICE_UNAVAILABLE));
		try (TransferClient transfer = client(TransferClient.builder(), 2)) {
			assertThatExceptionOfType(AwsServiceException.class).isThrownBy(transfer::listServers).satisfies((ex) -> {
				assertThat(ex.statusCode()).isEqualTo(503);
				assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailableException");
				assertThat(ex.numAttempts()).isEqualTo(2);
			});
		}
	}

	@Test
	void aConnectionDroppedAfterTheCallLeavesItAppliedAndOneDroppedBeforeDoesNot() {
		try (KmsClient kms = client(KmsClient.builder(), 1)) {
			String description = AwsFixtures.unique("dropped");
			proxy.faults(Faults.of(1, Fault.DROPPED_AFTER).onlyFor((call) -> !call.read()));
			assertThatExceptionOfType(SdkClientException.class)
				.isThrownBy(() -> kms.createKey((request) -> request.description(description + "-after")));
			proxy.faults(Faults.of(1, Fault.DROPPED_BEFORE).onlyFor((call) -> !call.read()));
			assertThatExceptionOfType(SdkClientException.class)
				.isThrownBy(() -> kms.createKey((request) -> request.description(description + "-before")));
			proxy.faults(Faults.none());
			// reads were never faulty (onlyFor writes)
			assertThat(kms.listKeysPaginator((request) -> request.limit(1000))
				.keys()
				.stream()
				.map((key) -> kms.describeKey((request) -> request.keyId(key.keyId())).keyMetadata().description()))
				.contains(description + "-after")
				.doesNotContain(description + "-before");
		}
		assertThat(proxy.injected()).containsOnlyKeys(Fault.DROPPED_AFTER, Fault.DROPPED_BEFORE);
	}

	@Test
	void aShareOfTheCallsFailsAndOnlyTheCallsChosen() {
		proxy.faults(Faults.of(0.2, Fault.INTERNAL_ERROR).onlyFor((call) -> "ListKeys".equals(call.operation())));
		int failed = 0;
		try (KmsClient kms = client(KmsClient.builder(), 1); IamClient iam = client(IamClient.builder(), 1)) {
			for (int i = 0; i < 500; i++) {
				try {
					kms.listKeys((request) -> request.limit(1));
				}
				catch (AwsServiceException ex) {
					failed++;
				}
			}
			for (int i = 0; i < 20; i++) {
				iam.listRoles((request) -> request.maxItems(1));
			}
		}
		// a seeded share: about a fifth, never all or none
		assertThat(failed).isBetween(60, 140);
		assertThat(proxy.injected()).containsEntry(Fault.INTERNAL_ERROR, (long) failed);
	}

	private static void assertThrottled(Runnable call, String code) {
		assertThatExceptionOfType(AwsServiceException.class).isThrownBy(call::run).satisfies((ex) -> {
			assertThat(ex.isThrottlingException()).as(code).isTrue();
			assertThat(ex.awsErrorDetails().errorCode()).isEqualTo(code);
			assertThat(ex.numAttempts()).isEqualTo(3);
		});
	}

	/**
	 * A client through the proxy with the SDK's standard retries, without their waits.
	 */
	private static <B extends AwsClientBuilder<B, C>, C> C client(B builder, int attempts) {
		URI endpoint = proxy.endpoint();
		return builder.endpointOverride(endpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.overrideConfiguration(ClientOverrideConfiguration.builder()
				.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
					.toBuilder()
					.maxAttempts(attempts)
					.backoffStrategy(BackoffStrategy.retryImmediately())
					.throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
					.build())
				.build())
			.build();
	}

}
