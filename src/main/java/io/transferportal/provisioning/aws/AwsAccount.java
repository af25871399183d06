package io.transferportal.provisioning.aws;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The account and region the portal provisions in, and who the portal is there. The
 * identity is read once from STS (on first use, so the portal starts without reaching
 * AWS).
 */
@Component
public class AwsAccount {

	private final StsClient sts;

	private final String region;

	private final AtomicReference<GetCallerIdentityResponse> identity = new AtomicReference<>();

	AwsAccount(StsClient sts, AwsProperties properties) {
		this.sts = sts;
		this.region = properties.region();
	}

	public String accountId() {
		return identity().account();
	}

	/**
	 * The ARN the portal calls AWS as, as STS reports it (for a role:
	 * {@code arn:aws:sts::111122223333:assumed-role/Name/session}).
	 */
	public String callerArn() {
		return identity().arn();
	}

	private GetCallerIdentityResponse identity() {
		GetCallerIdentityResponse identity = this.identity.get();
		if (identity == null) {
			identity = this.sts.getCallerIdentity();
			this.identity.compareAndSet(null, identity);
		}
		return identity;
	}

	public String region() {
		return this.region;
	}

	/**
	 * The ARN partition of the configured region ({@code aws}, {@code aws-cn} or
	 * {@code aws-us-gov}).
	 */
	public String partition() {
		if (this.region.startsWith("cn-")) {
			return "aws-cn";
		}
		if (this.region.startsWith("us-gov-")) {
			return "aws-us-gov";
		}
		return "aws";
	}

}
