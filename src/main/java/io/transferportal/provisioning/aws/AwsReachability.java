package io.transferportal.provisioning.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Whether the portal reaches AWS with its credentials ({@code aws} in
 * {@code /actuator/health}): STS GetCallerIdentity, which needs no permission ("No
 * permissions are required to perform this operation",
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), so it
 * tells a network or credentials problem from a missing permission.
 * <p>
 * It belongs to neither probe group (application.properties): an AWS outage or expired
 * credentials must not make Kubernetes restart every replica (liveness) nor take them all
 * out of the service (readiness), since the UI, the API and the audit trail work without
 * AWS and runs resume when it answers again. The answer is kept for
 * {@value #KEPT_SECONDS} seconds, so a monitor polling the endpoint (it needs no sign-in)
 * does not turn into a stream of STS calls.
 */
@Component("aws")
class AwsReachability implements HealthIndicator {

	static final long KEPT_SECONDS = 30;

	/** Long enough for the SDK's retries of a slow answer, short for a probe. */
	static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

	private final StsClient sts;

	private final Clock clock;

	private final AtomicReference<@Nullable Checked> last = new AtomicReference<>();

	AwsReachability(StsClient sts, Clock clock) {
		this.sts = sts;
		this.clock = clock;
	}

	@Override
	public Health health() {
		Instant now = this.clock.instant();
		Checked checked = this.last.get();
		if (checked == null || !now.isBefore(checked.at().plusSeconds(KEPT_SECONDS))) {
			checked = new Checked(check(), now);
			this.last.set(checked);
		}
		return checked.health();
	}

	private Health check() {
		try {
			this.sts.getCallerIdentity((request) -> request
				.overrideConfiguration((configuration) -> configuration.apiCallTimeout(CALL_TIMEOUT)));
			return Health.up().build();
		}
		catch (AwsServiceException ex) {
			// the answer's status only: its message may name the caller's identity
			return Health.down()
				.withDetail("error", "STS GetCallerIdentity failed (HTTP " + ex.statusCode() + ")")
				.build();
		}
		catch (SdkException ex) {
			return Health.down().withDetail("error", "AWS STS could not be reached").build();
		}
	}

	private record Checked(Health health, Instant at) {
	}

}
