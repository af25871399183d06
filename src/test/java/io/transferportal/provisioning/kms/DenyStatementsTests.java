package io.transferportal.provisioning.kms;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.transferportal.provisioning.policy.Conditions;
import io.transferportal.provisioning.policy.Policies;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule for Deny statements in a key policy, one statement at a time: each case names
 * the statement's principal, actions, resource and conditions after {@code "Effect":
 * "Deny"}.
 */
class DenyStatementsTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	static final String ROLE = "arn:aws:iam::123456789012:role/transfer-portal/transfer-portal-alice";

	static final DenyStatements.Caller CALLER = DenyStatements.Caller.of(ROLE, "123456789012", "aws", KEY);

	@ParameterizedTest
	@ValueSource(strings = { "\"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"",
			"\"Principal\": {\"AWS\": \"" + ROLE + "\"}, \"Action\": \"*\", \"Resource\": \"*\"",
			"\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}, \"Action\": \"kms:Gen*\", \"Resource\": \"*\"",
			"\"Principal\": {\"AWS\": \"123456789012\"}, \"Action\": \"KMS:GENERATEDATAKEY\", \"Resource\": \"" + KEY
					+ "\"",
			"\"Principal\": {\"AWS\": \"*\"}, \"NotAction\": \"kms:Decrypt\", \"Resource\": \"*\"",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"arn:aws:kms:*:123456789012:key/*\"",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringNotLike\": {\"aws:PrincipalArn\": [\"arn:aws:iam::123456789012:role/apps/*\"]}}",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringNotEqualsIfExists\": {\"kms:ViaService\": \"ec2.us-east-1.amazonaws.com\"}}",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringEquals\": {\"kms:CallerAccount\": \"123456789012\"}}" })
	void certainlyApplies(String statement) {
		assertThat(find(statement)).singleElement().satisfies((finding) -> {
			assertThat(finding.certain()).isTrue();
			assertThat(finding.statement()).isEqualTo("\"Guard\"");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:role/Other\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"",
			"\"Principal\": {\"AWS\": \"arn:aws:iam::210987654321:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"",
			"\"Principal\": {\"Service\": \"s3.amazonaws.com\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"",
			"\"Principal\": \"*\", \"Action\": [\"kms:CreateGrant\", \"kms:Delete*\"], \"Resource\": \"*\"",
			"\"Principal\": \"*\", \"NotAction\": \"kms:*\", \"Resource\": \"*\"",
			"\"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"arn:aws:kms:us-east-1:123456789012:key/other\"",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringNotLike\": {\"aws:PrincipalArn\": [\"arn:aws:iam::123456789012:role/apps/*\","
					+ " \"arn:aws:iam::123456789012:role/transfer-portal/*\"]}}",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"ArnNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/transfer-portal/*\"}}",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringNotEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringNotEquals\": {\"aws:PrincipalAccount\": \"123456789012\"},"
					+ " \"Bool\": {\"aws:SecureTransport\": \"false\"}}" })
	void isRuledOut(String statement) {
		assertThat(find(statement)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"\"NotPrincipal\": {\"AWS\": \"" + ROLE + "\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}",
			"\"Principal\": {\"AWS\": \"" + ROLE + "\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\","
					+ " \"Condition\": {\"ForAnyValue:StringLike\": {\"aws:PrincipalArn\": \"*\"}}",
			"\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
					+ " \"Condition\": {\"StringNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::123456789012:role/apps/*\"},"
					+ " \"DateGreaterThan\": {\"aws:CurrentTime\": \"2027-01-01T00:00:00Z\"}}" })
	void mayApply(String statement) {
		assertThat(find(statement)).singleElement().satisfies((finding) -> assertThat(finding.certain()).isFalse());
	}

	@Test
	void namesTheDeniedActionsAmongTheUsersOnes() {
		assertThat(
				find("\"Principal\": \"*\", \"NotAction\": [\"kms:Decrypt\", \"kms:Describe*\"], \"Resource\": \"*\""))
			.singleElement()
			.satisfies((finding) -> assertThat(finding.actions()).containsExactly("kms:GenerateDataKey"));
	}

	@Test
	void aStatementWithoutSidIsNamedByItsPosition() {
		String policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
				+ " \"arn:aws:iam::123456789012:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}, {\"Effect\": \"Deny\","
				+ " \"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";

		assertThat(DenyStatements.find(Policies.parse(policy), CALLER)).singleElement()
			.satisfies((finding) -> assertThat(finding.statement()).isEqualTo("number 2 (no Sid)"));
	}

	@Test
	void arnPatternsMatchPartByPart() {
		assertThat(Conditions.arnMatches("arn:aws:iam::*:role/transfer-portal/*", ROLE)).isTrue();
		assertThat(Conditions.arnMatches("arn:aws:iam::*", ROLE)).as("a wildcard does not span parts").isFalse();
		assertThat(Conditions.arnMatches("arn:aws:iam::123456789012:role/Transfer-Portal/*", ROLE)).as("case-sensitive")
			.isFalse();
	}

	@Test
	void theS3EndpointNameFollowsThePartition() {
		assertThat(
				DenyStatements.Caller.of(ROLE, "123456789012", "aws-cn", "arn:aws-cn:kms:cn-north-1:123456789012:key/k")
					.viaService())
			.isEqualTo("s3.cn-north-1.amazonaws.com.cn");
		assertThat(CALLER.viaService()).isEqualTo("s3.us-east-1.amazonaws.com");
	}

	private static List<DenyStatements.Finding> find(String statement) {
		String policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Guard\", \"Effect\": \"Deny\", "
				+ statement + "}]}";
		return DenyStatements.find(Policies.parse(policy), CALLER);
	}

}
