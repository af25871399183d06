package io.transferportal.provisioning;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A check says what AWS holds compared with the approved state, then what a repair would
 * do; not the plan's wording alone.
 */
class CheckDetailTests {

	static final String ROLE_POLICY = "arn:aws:iam::111122223333:role/transfer-portal/ann#transfer-portal-access";

	static final String S3 = """
			{"Sid":"HomeFolderObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
			"Resource":"arn:aws:s3:::bucket/ann/*"}""";

	static final String KMS = """
			{"Sid":"KmsForBucketEncryption","Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey"],
			"Resource":"arn:aws:kms:eu-west-1:111122223333:key/k"}""";

	@Test
	void aPolicyThatLostItsKmsStatementSaysSoInWordsAndWhatARepairDoes() {
		Check check = ProvisioningEngine
			.check(new PlannedChange(ResourceKind.ROLE_POLICY, ROLE_POLICY, ChangeAction.UPDATE, policy(S3),
					policy(S3 + "," + KMS), "Repair inline policy transfer-portal-access", List.of()), List.of());

		assertThat(check.status()).isEqualTo(CheckStatus.DRIFT);
		assertThat(check.detail()).isEqualTo("The IAM role policy in AWS lacks the statement Allow kms:Decrypt, "
				+ "kms:Encrypt, kms:GenerateDataKey on arn:aws:kms:eu-west-1:111122223333:key/k "
				+ "(KmsForBucketEncryption). A repair would: Repair inline policy transfer-portal-access");
	}

	@Test
	void aStatementNobodyApprovedIsNamedAsSuch() {
		Check check = ProvisioningEngine.check(new PlannedChange(ResourceKind.SESSION_POLICY, "arn:session",
				ChangeAction.UPDATE, policy(S3 + "," + KMS), policy(S3), "Repair the session policy", List.of()),
				List.of());

		assertThat(check.detail()).startsWith("The session policy in AWS has the statement Allow kms:Decrypt")
			.contains("(KmsForBucketEncryption), which was not approved.");
	}

	@Test
	void aMissingResourceOrADocumentThatIsNoPolicyIsDescribedWithoutPolicyWords() {
		Check missing = ProvisioningEngine.check(new PlannedChange(ResourceKind.ROLE_POLICY, ROLE_POLICY,
				ChangeAction.CREATE, null, policy(S3), "Add inline policy transfer-portal-access", List.of()),
				List.of());
		assertThat(missing.status()).isEqualTo(CheckStatus.MISSING);
		assertThat(missing.detail()).isEqualTo(
				"IAM role policy does not exist in AWS. A repair would: Add inline policy transfer-portal-access");

		Check user = ProvisioningEngine.check(new PlannedChange(ResourceKind.TRANSFER_USER, "arn:user",
				ChangeAction.UPDATE, "{\"HomeDirectory\":\"/a\"}", "{\"HomeDirectory\":\"/b\"}",
				"Update the home directory mapping", List.of()), List.of());
		assertThat(user.detail()).isEqualTo("Transfer user in AWS differs from the approved settings. "
				+ "A repair would: Update the home directory mapping");
	}

	private static String policy(String statements) {
		return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
	}

}
