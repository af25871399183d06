package io.transferportal.provisioning.aws;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The request ids of an action's AWS writes are collected on its thread only, in call
 * order, and only while it runs.
 */
class AwsRequestIdsTests {

	@Test
	void collectsTheIdsRecordedWhileTheActionRunsInOrder() {
		List<String> ids = AwsRequestIds.during(() -> {
			AwsRequestIds.record("create-1");
			AwsRequestIds.record("import-2");
			AwsRequestIds.record("import-3");
		});
		assertThat(ids).containsExactly("create-1", "import-2", "import-3");
	}

	@Test
	void idsOutsideAScopeAreNotKeptForTheNextScope() {
		AwsRequestIds.record("before");
		assertThat(AwsRequestIds.during(() -> AwsRequestIds.record("inside"))).containsExactly("inside");
		AwsRequestIds.record("after");
		assertThat(AwsRequestIds.during(() -> {
		})).isEmpty();
	}

	@Test
	void missingOrUnknownIdsAreLeftOut() {
		// the SDK reports a response without a request id header as UNKNOWN
		assertThat(AwsRequestIds.during(() -> {
			AwsRequestIds.record(null);
			AwsRequestIds.record(" ");
			AwsRequestIds.record("UNKNOWN");
		})).isEmpty();
	}

	@Test
	void innerScopesAlsoCountForTheOuterOne() {
		List<String> inner = new ArrayList<>();
		List<String> outer = AwsRequestIds.during(() -> {
			AwsRequestIds.record("a");
			inner.addAll(AwsRequestIds.during(() -> AwsRequestIds.record("b")));
			AwsRequestIds.record("c");
		});
		assertThat(inner).containsExactly("b");
		assertThat(outer).containsExactly("a", "b", "c");
	}

	@Test
	void callsOnOtherThreadsAreNotCollected() {
		List<String> ids = AwsRequestIds.during(() -> {
			AwsRequestIds.record("mine");
			CompletableFuture.runAsync(() -> AwsRequestIds.record("other thread")).join();
		});
		assertThat(ids).containsExactly("mine");
	}

	@Test
	void aFailingActionEndsItsScope() {
		assertThatIllegalStateException().isThrownBy(() -> AwsRequestIds.during(() -> {
			AwsRequestIds.record("lost");
			throw new IllegalStateException("failed");
		}));
		assertThat(AwsRequestIds.during(() -> AwsRequestIds.record("next"))).containsExactly("next");
	}

	@Test
	void theFailedCallsIdIsReadFromTheAwsExceptionBehindAFailure() {
		AwsServiceException refused = AwsServiceException.builder().requestId("req-42").statusCode(400).build();
		ProvisioningException failure = AwsErrors.failure(ResourceKind.ROLE_POLICY, "PutRolePolicy p", refused);
		assertThat(AwsRequestIds.of(failure)).isEqualTo("req-42");
		assertThat(failure.awsRequestId()).isEqualTo("req-42");
		assertThat(failure.getMessage()).doesNotContain("req-42");
	}

	@Test
	void aFailureAwsDidNotAnswerHasNoId() {
		ProvisioningException unreachable = AwsErrors.failure(ResourceKind.ROLE, "CreateRole r",
				SdkClientException.create("connection refused"));
		assertThat(AwsRequestIds.of(unreachable)).isNull();
		assertThat(new ProvisioningException(ResourceKind.ROLE, "plan problem").awsRequestId()).isNull();
	}

	@Test
	void aFailureAwsDidNotAnswerIsSaidInWordsWithoutAClassName() {
		assertThat(AwsErrors
			.failure(ResourceKind.ROLE, "CreateRole r",
					SdkClientException.builder()
						.message("Unable to execute HTTP request: Connect to 127.0.0.1:1 failed")
						.cause(new ConnectException("Connection refused"))
						.build())
			.getMessage()).isEqualTo("CreateRole r failed (AWS could not be reached: the connection was refused)");
		assertThat(AwsErrors
			.failure(ResourceKind.ROLE, "GetRole r",
					SdkClientException.builder()
						.cause(new RuntimeException(new UnknownHostException("iam.nowhere.example")))
						.build())
			.getMessage())
			.isEqualTo("GetRole r failed (AWS could not be reached: the endpoint's host name does not resolve)");
		assertThat(AwsErrors
			.failure(ResourceKind.ROLE, "GetRole r", ApiCallTimeoutException.builder().message("timed out").build())
			.getMessage()).isEqualTo("GetRole r failed (AWS did not answer in time)");
		assertThat(AwsErrors.failure(ResourceKind.ROLE, "GetRole r", SdkClientException.create("odd")).getMessage())
			.isEqualTo("GetRole r failed (AWS could not be reached)")
			.doesNotContain("Exception");
	}

}
