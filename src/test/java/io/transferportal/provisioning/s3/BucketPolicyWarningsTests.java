package io.transferportal.provisioning.s3;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bucket-policy statements may deny a Transfer user's uploads or downloads. */
class BucketPolicyWarningsTests {

	@Test
	void noPolicyOrOnlyAllowsGiveNoWarning() {
		assertThat(BucketPolicyWarnings.of(null)).isEmpty();
		assertThat(BucketPolicyWarnings.of(policy("""
				{"Sid": "AllowReporting", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
				 "Action": "s3:*", "Resource": "*",
				 "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}"""))).isEmpty();
	}

	@Test
	void aDenyOnPutObjectWithoutTheKmsHeaderQuotesItsSid() {
		assertThat(BucketPolicyWarnings.of(policy("""
				{"Sid": "DenyUnencryptedUploads", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
				 "Resource": "arn:aws:s3:::inbox/*",
				 "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}"""))).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("\"DenyUnencryptedUploads\"", "denies s3:PutObject",
					"s3:x-amz-server-side-encryption", "sends no encryption header"));
	}

	@Test
	void aDenyPinningAnotherAlgorithmNamesIt() {
		assertThat(BucketPolicyWarnings.of(policy("""
				{"Sid": "OnlySseS3", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
				 "Resource": "arn:aws:s3:::inbox/*",
				 "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}}"""))).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("\"OnlySseS3\"", "algorithm AES256"));
	}

	@Test
	void aDenyOnAKeyIdWithABooleanNullConditionAndWildcardActionsCounts() {
		// "true" as a JSON boolean: the policy builder alone would drop the condition
		assertThat(BucketPolicyWarnings.of(policy("""
				{"Sid": "RequireHeader", "Effect": "Deny", "Principal": "*", "Action": ["s3:Put*"],
				 "Resource": "arn:aws:s3:::inbox/*",
				 "Condition": {"Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": true}}}"""))).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("\"RequireHeader\"",
					"s3:x-amz-server-side-encryption-aws-kms-key-id"));
	}

	@Test
	void networkConditionsOnGetObjectOrEverythingCount() {
		assertThat(BucketPolicyWarnings.of(policy("""
				{"Sid": "OnlyFromOurVpce", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
				 "Resource": ["arn:aws:s3:::inbox", "arn:aws:s3:::inbox/*"],
				 "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}},
				{"Effect": "Deny", "Principal": "*", "Action": "S3:GetObject", "Resource": "arn:aws:s3:::inbox/*",
				 "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}}},
				{"Sid": "OnlyFromOurVpc", "Effect": "Deny", "Principal": "*", "NotAction": "s3:ListBucket",
				 "Resource": "*", "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-111bbb22"}}}""")))
			.satisfiesExactly(
					(warning) -> assertThat(warning).contains("\"OnlyFromOurVpce\"",
							"denies s3:PutObject and s3:GetObject", "aws:SourceVpce", "AWS network"),
					(warning) -> assertThat(warning).contains("statement 2 (no Sid)", "denies s3:GetObject",
							"aws:SourceIp"),
					(warning) -> assertThat(warning).contains("\"OnlyFromOurVpc\"", "aws:SourceVpc"));
	}

	@Test
	void otherDeniesAreNotTransfersConcern() {
		assertThat(BucketPolicyWarnings.of(policy("""
				{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
				 "Condition": {"Bool": {"aws:SecureTransport": false}}},
				{"Sid": "NoBucketDeletion", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket",
				 "Resource": "arn:aws:s3:::inbox",
				 "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}},
				{"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*", "NotAction": ["s3:*Object"],
				 "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}"""))).isEmpty();
	}

	@Test
	void aPolicyThatCannotBeParsedIsAWarningNotAFailure() {
		assertThat(BucketPolicyWarnings.of("{not json")).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("check it by hand"));
	}

	private static String policy(String statements) {
		return "{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}";
	}

}
