package io.transferportal.provisioning.aws;

import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** An {@link AwsAccount} with a fixed id, for unit tests of decisions. */
public final class TestAccounts {

	private TestAccounts() {
	}

	public static AwsAccount fixed(String accountId, String region) {
		StsClient sts = mock(StsClient.class);
		given(sts.getCallerIdentity()).willReturn(GetCallerIdentityResponse.builder()
			.account(accountId)
			.arn("arn:aws:sts::" + accountId + ":assumed-role/transfer-portal/portal")
			.build());
		return new AwsAccount(sts,
				new AwsProperties(region, null, new AwsProperties.MaxConcurrentCalls(8, 8, 16, 8, 2)));
	}

}
