package io.transferportal.provisioning.policy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import io.transferportal.provisioning.policy.Conditions.Truth;

import static org.assertj.core.api.Assertions.assertThat;

/** IAM's condition operators and wildcards, as far as the portal evaluates them. */
class ConditionsTests {

	static final Map<String, String> CONTEXT = Map.of("aws:principalarn",
			"arn:aws:iam::123456789012:role/transfer-portal/alice", "aws:sourceaccount", "123456789012");

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}} | YES",
			"{\"StringEquals\": {\"aws:SourceAccount\": [\"999999999999\", \"123456789012\"]}} | YES",
			"{\"StringNotEquals\": {\"aws:SourceAccount\": \"123456789012\"}} | NO",
			"{\"StringEqualsIfExists\": {\"aws:SourceAccount\": \"123456789012\"}} | YES",
			"{\"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/transfer-portal/*\"}} | YES",
			"{\"StringNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/apps/*\"}} | YES",
			"{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*\"}} | NO",
			"{\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\", \"aws:PrincipalOrgID\": \"o-1\"}} | MAYBE",
			"{\"ForAnyValue:StringLike\": {\"aws:PrincipalArn\": \"*\"}} | MAYBE",
			"{\"NumericLessThan\": {\"aws:SourceAccount\": \"2\"}} | MAYBE" })
	void conditionsAreAndedAndValuesOred(String condition, Truth expected) {
		IamPolicy policy = IamPolicy.fromJson("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\","
				+ " \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\": " + condition
				+ "}]}");
		assertThat(Conditions.hold(policy.statements().get(0).conditions(), CONTEXT::get)).isEqualTo(expected);
	}

	@Test
	void wildcardsMatchAsIamDoes() {
		assertThat(Conditions.actionMatches("KMS:Gen*", "kms:GenerateDataKey")).isTrue();
		assertThat(Conditions.actionMatches("kms:Decrypt?", "kms:Decrypt")).isFalse();
		assertThat(Conditions.matches("Alice*", "alice")).as("values are case-sensitive").isFalse();
		assertThat(Conditions.arnMatches("*", "arn:aws:kms:us-east-1:123456789012:key/k")).isTrue();
		assertThat(
				Conditions.arnMatches("arn:aws:kms:*:123456789012:key/*", "arn:aws:kms:us-east-1:123456789012:key/k"))
			.isTrue();
	}

}
