package io.transferportal.provisioning.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/** Which trust policies let AWS Transfer assume a role for one user. */
class TrustPoliciesTests {

	static final String ACCOUNT = "123456789012";

	static final String USER = "arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/alice";

	@ParameterizedTest
	@ValueSource(strings = { "", // no conditions: any Transfer user of any account
			",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}}",
			",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/*\"}}",
			",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":[\"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/bob\","
					+ "\"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/alice\"]}}",
			",\"Condition\":{\"StringLike\":{\"aws:SourceArn\":\"arn:aws:transfer:*:123456789012:user/*\"},"
					+ "\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}}",
			",\"Condition\":{\"StringEqualsIfExists\":{\"aws:SourceAccount\":\"123456789012\"}}",
			",\"Condition\":{\"StringNotEquals\":{\"aws:SourceAccount\":\"999999999999\"}}" })
	void admitsTheUserWhenEveryConditionHolds(String condition) {
		assertThat(TrustPolicies.whyNotAssumableFor(trust("sts:AssumeRole", condition), ACCOUNT, USER)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "sts:*", "*", "STS:assumerole", "sts:Assume*" })
	void actionsMatchWithWildcardsAndInAnyCase(String action) {
		assertThat(TrustPolicies.whyNotAssumableFor(trust(action, ""), ACCOUNT, USER)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { ",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"999999999999\"}}",
			",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/bob\"}}",
			",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:transfer:us-east-1:123456789012:user/s-fffffffffffffffff/*\"}}",
			",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"},"
					+ "\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/ALICE\"}}" })
	void refusesConditionsThatExcludeTheUser(String condition) {
		assertThat(TrustPolicies.whyNotAssumableFor(trust("sts:AssumeRole", condition), ACCOUNT, USER))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("does not let transfer.amazonaws.com",
					"for user " + USER, "(statement Transfer) has conditions that exclude this user"));
	}

	@ParameterizedTest
	@ValueSource(strings = { ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}",
			",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}",
			",\"Condition\":{\"NumericLessThan\":{\"aws:SourceAccount\":\"2\"}}" })
	void refusesConditionsItCannotEvaluate(String condition) {
		assertThat(TrustPolicies.whyNotAssumableFor(trust("sts:AssumeRole", condition), ACCOUNT, USER))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("has conditions the portal cannot evaluate"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"Service\":\"ec2.amazonaws.com\"}", "{\"AWS\":\"arn:aws:iam::123456789012:root\"}" })
	void refusesOtherPrincipals(String principal) {
		IamPolicy policy = IamPolicy.fromJson("""
				{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": %s,
				 "Action": "sts:AssumeRole"}]}""".formatted(principal));
		assertThat(TrustPolicies.whyNotAssumableFor(policy, ACCOUNT, USER)).hasValueSatisfying(
				(reason) -> assertThat(reason).isEqualTo("its trust policy does not let transfer.amazonaws.com "
						+ "sts:AssumeRole for user " + USER + " in account " + ACCOUNT));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"Service\":\"transfer.amazonaws.com\"}", "\"*\"", "{\"AWS\":\"*\"}" })
	void aDenyThatMatchesWins(String principal) {
		IamPolicy policy = IamPolicy.fromJson("""
				{"Version": "2012-10-17", "Statement": [
				 {"Effect": "Allow", "Principal": {"Service": "transfer.amazonaws.com"}, "Action": "sts:AssumeRole"},
				 {"Sid": "NoTransfer", "Effect": "Deny", "Principal": %s, "Action": "sts:*"}]}""".formatted(principal));
		assertThat(TrustPolicies.whyNotAssumableFor(policy, ACCOUNT, USER))
			.hasValue("its trust policy denies transfer.amazonaws.com sts:AssumeRole (statement NoTransfer)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "999999999999", "123456789012" })
	void aDenyOnlyForAnotherAccountDoesNotStopThisUser(String deniedAccount) {
		IamPolicy policy = IamPolicy.fromJson("""
				{"Version": "2012-10-17", "Statement": [
				 {"Effect": "Allow", "Principal": {"Service": "transfer.amazonaws.com"}, "Action": "sts:AssumeRole"},
				 {"Sid": "OtherAccount", "Effect": "Deny", "Principal": {"Service": "transfer.amazonaws.com"},
				  "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "%s"}}}]}"""
			.formatted(deniedAccount));
		assertThat(TrustPolicies.whyNotAssumableFor(policy, ACCOUNT, USER).isEmpty())
			.isEqualTo(!deniedAccount.equals(ACCOUNT));
	}

	@Test
	void thePortalsOwnTrustPolicyAdmitsExactlyItsUser() {
		IamPolicy own = TransferPolicies.trustPolicy(ACCOUNT, USER);
		assertThat(TrustPolicies.whyNotAssumableFor(own, ACCOUNT, USER)).isEmpty();
		assertThat(TrustPolicies.whyNotAssumableFor(own, ACCOUNT, USER.replace("alice", "bob"))).isPresent();
	}

	private static IamPolicy trust(String action, String condition) {
		return IamPolicy.fromJson("""
				{"Version": "2012-10-17", "Statement": [{"Sid": "Transfer", "Effect": "Allow",
				 "Principal": {"Service": "transfer.amazonaws.com"}, "Action": "%s"%s}]}""".formatted(action,
				condition));
	}

}
