package io.transferportal.provisioning.kms;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.policy.Policies;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statement a key administrator adds so that the portal may read and patch a key
 * policy that does not delegate to the account.
 */
class PortalAccessTests {

	@Test
	void aRoleSessionIsNamedByItsRole() {
		assertThat(PortalAccess.principal("arn:aws:sts::123456789012:assumed-role/transfer-portal/i-0abc"))
			.isEqualTo("arn:aws:iam::123456789012:role/transfer-portal");
		assertThat(PortalAccess.principal("arn:aws-us-gov:sts::123456789012:assumed-role/portal/session"))
			.isEqualTo("arn:aws-us-gov:iam::123456789012:role/portal");
	}

	@Test
	void usersAndOtherPrincipalsAreNamedAsStsReportsThem() {
		assertThat(PortalAccess.principal("arn:aws:iam::123456789012:user/ops/portal"))
			.isEqualTo("arn:aws:iam::123456789012:user/ops/portal");
	}

	@Test
	void theStatementIsValidJsonToPasteIntoTheKeyPolicy() {
		String statement = PortalAccess.statement("arn:aws:iam::123456789012:role/transfer-portal");

		assertThat(Policies.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statement + "]}").statements())
			.singleElement()
			.satisfies((parsed) -> {
				assertThat(parsed.sid()).isEqualTo("TransferPortalManagesKeyPolicy");
				assertThat(parsed.actions()).extracting((action) -> action.value())
					.containsExactly("kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GenerateDataKey");
				assertThat(parsed.principals()).extracting((principal) -> principal.id())
					.containsExactly("arn:aws:iam::123456789012:role/transfer-portal");
			});
	}

	@Test
	void theMessageForARoleMentionsItsPath() {
		assertThat(PortalAccess.denied("PutKeyPolicy", "arn:aws:kms:us-east-1:123456789012:key/k",
				"arn:aws:sts::123456789012:assumed-role/transfer-portal/session"))
			.contains("kms:PutKeyPolicy on key arn:aws:kms:us-east-1:123456789012:key/k",
					"if role transfer-portal has an IAM path, put it into that ARN");
	}

}
