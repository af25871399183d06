package io.transferportal.provisioning.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

import io.transferportal.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The AWS indicator: up when STS answers, down with a reason that names no identity when
 * it refuses or cannot be reached, and read again only after its answer is 30 s old.
 */
class AwsReachabilityTests {

	final StsClient sts = mock(StsClient.class);

	final TestClock clock = TestClock.frozenAt(Instant.parse("2026-12-04T10:00:00Z"));

	final AwsReachability reachability = new AwsReachability(this.sts, this.clock);

	@Test
	void upWhenStsAnswers() {
		given(this.sts.getCallerIdentity(anyRequest()))
			.willReturn(GetCallerIdentityResponse.builder().account("111122223333").build());
		Health health = this.reachability.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).isEmpty();
	}

	@Test
	void downWithTheStatusOnlyWhenStsRefuses() {
		given(this.sts.getCallerIdentity(anyRequest())).willThrow(StsException.builder()
			.statusCode(403)
			.message("User: arn:aws:iam::111122223333:user/portal is not authorized")
			.build());
		Health health = this.reachability.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails())
			.containsOnly(org.assertj.core.api.Assertions.entry("error", "STS GetCallerIdentity failed (HTTP 403)"));
	}

	@Test
	void downWhenAwsCannotBeReached() {
		given(this.sts.getCallerIdentity(anyRequest()))
			.willThrow(SdkClientException.create("Unable to execute HTTP request: Connect to sts.amazonaws.com"));
		Health health = this.reachability.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsValue("AWS STS could not be reached");
	}

	@Test
	void anAnswerIsKeptForThirtySeconds() {
		given(this.sts.getCallerIdentity(anyRequest())).willReturn(GetCallerIdentityResponse.builder().build());
		this.reachability.health();
		this.clock.advance(Duration.ofSeconds(29));
		this.reachability.health();
		verify(this.sts, times(1)).getCallerIdentity(anyRequest());
		this.clock.advance(Duration.ofSeconds(1));
		this.reachability.health();
		verify(this.sts, times(2)).getCallerIdentity(anyRequest());
	}

	@SuppressWarnings("unchecked")
	private static Consumer<GetCallerIdentityRequest.Builder> anyRequest() {
		return any(Consumer.class);
	}

}
