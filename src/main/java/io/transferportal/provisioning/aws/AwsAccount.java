package io.transferportal.provisioning.aws;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The account and region the portal provisions in. The account id is read once from STS
 * (on first use, so the portal starts without reaching AWS).
 */
@Component
public class AwsAccount {

	private final StsClient sts;

	private final String region;

	private final AtomicReference<String> accountId = new AtomicReference<>();

	AwsAccount(StsClient sts, AwsProperties properties) {
		this.sts = sts;
		this.region = properties.region();
	}

	public String accountId() {
		String id = this.accountId.get();
		if (id == null) {
			id = this.sts.getCallerIdentity().account();
			this.accountId.compareAndSet(null, id);
		}
		return id;
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
