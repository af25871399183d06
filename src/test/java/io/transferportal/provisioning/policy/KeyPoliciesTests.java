package io.transferportal.provisioning.policy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeyPolicies}.
 */
class KeyPoliciesTests {

	private static final String ACCOUNT = "123456789012";

	private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	private static final String ROOT = "arn:aws:iam::123456789012:root";

	private static final String ROLE_A = "arn:aws:iam::123456789012:role/transfer-portal/transfer-portal-alice";

	private static final String ROLE_B = "arn:aws:iam::123456789012:role/transfer-portal/transfer-portal-bob";

	/** The statement AWS puts in every default key policy. */
	private static final String AWS_DEFAULT_STATEMENT = """
			{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
			 "Action": "kms:*", "Resource": "*"}""";

	private static final String ADMIN_STATEMENT = """
			{"Sid": "Allow key administrators", "Effect": "Allow",
			 "Principal": {"AWS": "arn:aws:iam::123456789012:role/KeyAdmin"},
			 "Action": ["kms:Create*", "kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"], "Resource": "*"}""";

	@Test
	void detectsTheAwsDefaultRootStatement() {
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT))).isTrue();
	}

	@Test
	void detectsRootDelegationByPrincipalAndActionsNotBySid() {
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace("Enable IAM User Permissions", "key-default-1"))))
			.isTrue();
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace(ROOT, ROLE_A)))).isFalse();
	}

	@Test
	void acceptsTheBareAccountIdAsRootPrincipal() {
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace(ROOT, ACCOUNT)))).isTrue();
	}

	@Test
	void ignoresRootStatementsThatDoNotUnconditionallyAllowTheTransferActions() {
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace("\"Resource\": \"*\"",
				"\"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"kms:CallerAccount\": \"123456789012\"}}"))))
			.isFalse();
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace("\"kms:*\"", "\"kms:Decrypt\"")))).isFalse();
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace("\"Allow\"", "\"Deny\"")))).isFalse();
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace("\"Resource\": \"*\"",
				"\"Resource\": \"arn:aws:kms:us-east-1:123456789012:key/another-key\""))))
			.isFalse();
	}

	@Test
	void ignoresTheRootOfAnotherAccount() {
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace(ACCOUNT, "210987654321")))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"kms:*\"", "\"*\"", "[\"kms:Decrypt\", \"kms:Encrypt\", \"kms:Gen*\"]",
			"[\"KMS:decrypt\", \"kms:ENCRYPT\", \"kms:GenerateDataKey*\"]",
			"[\"kms:?ncrypt\", \"kms:Decrypt\", \"kms:Generate*\"]" })
	void matchesWildcardActionsCaseInsensitively(String actions) {
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace("\"kms:*\"", actions)))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"kms:Gen*\"", "[\"kms:Decrypt\", \"kms:Encrypt\"]", "\"kms:Describe*\"", "\"s3:*\"" })
	void requiresEveryTransferActionToBeCovered(String actions) {
		assertThat(delegates(policy(AWS_DEFAULT_STATEMENT.replace("\"kms:*\"", actions)))).isFalse();
	}

	@Test
	void allowsRoleFindsTheRoleInAnyUnconditionalStatement() {
		IamPolicy policy = policy(ADMIN_STATEMENT,
				AWS_DEFAULT_STATEMENT.replace(ROOT, ROLE_A).replace("Enable IAM User Permissions", "Custom"));
		assertThat(KeyPolicies.allowsRole(policy, ROLE_A, KEY_ARN)).isTrue();
		assertThat(KeyPolicies.allowsRole(policy, ROLE_B, KEY_ARN)).isFalse();
		assertThat(KeyPolicies.portalStatementLists(policy, ROLE_A)).isFalse();
	}

	@Test
	void withRoleAddsThePortalStatementAtTheEnd() {
		IamPolicy policy = KeyPolicies.withRole(policy(AWS_DEFAULT_STATEMENT, ADMIN_STATEMENT), ROLE_A);
		assertThat(policy.statements()).hasSize(3);
		IamStatement portal = policy.statements().get(2);
		assertThat(portal.sid()).isEqualTo(KeyPolicies.PORTAL_SID);
		assertThat(portal.effect().value()).isEqualTo("Allow");
		assertThat(portal.principals()).containsExactly(IamPrincipal.create(IamPrincipalType.AWS, ROLE_A));
		assertThat(portal.actions()).extracting((action) -> action.value())
			.containsExactly("kms:Decrypt", "kms:GenerateDataKey");
		assertThat(portal.resources()).extracting((resource) -> resource.value()).containsExactly("*");
		assertThat(portal.conditions()).isEmpty();
		assertThat(KeyPolicies.allowsRole(policy, ROLE_A, KEY_ARN)).isTrue();
		assertThat(KeyPolicies.portalStatementLists(policy, ROLE_A)).isTrue();
	}

	@Test
	void withRoleAppendsASecondRoleToTheSameStatement() {
		IamPolicy policy = KeyPolicies.withRole(KeyPolicies.withRole(policy(ADMIN_STATEMENT), ROLE_A), ROLE_B);
		assertThat(policy.statements()).hasSize(2);
		assertThat(policy.statements().get(1).principals()).extracting(IamPrincipal::id)
			.containsExactlyInAnyOrder(ROLE_A, ROLE_B);
		assertThat(KeyPolicies.allowsRole(policy, ROLE_A, KEY_ARN)).isTrue();
		assertThat(KeyPolicies.allowsRole(policy, ROLE_B, KEY_ARN)).isTrue();
	}

	@Test
	void withRoleDoesNotListTheSameRoleTwice() {
		IamPolicy once = KeyPolicies.withRole(policy(ADMIN_STATEMENT), ROLE_A);
		IamPolicy twice = KeyPolicies.withRole(once, ROLE_A);
		assertThat(twice.statements().get(1).principals()).hasSize(1);
		assertThat(twice).isEqualTo(once);
	}

	@Test
	void withRoleLeavesEveryOtherStatementUnchangedAndInPlace() {
		String portal = """
				{"Sid": "TransferPortalUserRoles", "Effect": "Allow", "Principal": {"AWS": "%s"},
				 "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"}""".formatted(ROLE_A);
		IamPolicy original = policy(AWS_DEFAULT_STATEMENT, portal, ADMIN_STATEMENT);
		IamPolicy patched = KeyPolicies.withRole(original, ROLE_B);
		assertThat(patched.statements()).hasSize(3);
		assertThat(patched.statements().get(0)).isEqualTo(original.statements().get(0));
		assertThat(patched.statements().get(1).sid()).isEqualTo(KeyPolicies.PORTAL_SID);
		assertThat(patched.statements().get(1).principals()).extracting(IamPrincipal::id)
			.containsExactlyInAnyOrder(ROLE_A, ROLE_B);
		assertThat(patched.statements().get(2)).isEqualTo(original.statements().get(2));
		assertThat(patched.version()).isEqualTo(original.version());
	}

	@Test
	void withoutRoleRemovesOnlyThatRole() {
		IamPolicy both = KeyPolicies.withRole(KeyPolicies.withRole(policy(AWS_DEFAULT_STATEMENT), ROLE_A), ROLE_B);
		IamPolicy patched = KeyPolicies.withoutRole(both, ROLE_A);
		assertThat(KeyPolicies.portalStatementLists(patched, ROLE_A)).isFalse();
		assertThat(KeyPolicies.portalStatementLists(patched, ROLE_B)).isTrue();
		assertThat(patched.statements()).hasSize(2);
		assertThat(patched.statements().get(0)).isEqualTo(both.statements().get(0));
	}

	@Test
	void withoutRoleDropsThePortalStatementWithItsLastRole() {
		IamPolicy original = policy(AWS_DEFAULT_STATEMENT, ADMIN_STATEMENT);
		IamPolicy patched = KeyPolicies.withoutRole(KeyPolicies.withRole(original, ROLE_A), ROLE_A);
		assertThat(patched.statements()).extracting(IamStatement::sid).doesNotContain(KeyPolicies.PORTAL_SID);
		assertThat(patched.statements()).isEqualTo(original.statements());
	}

	@Test
	void withoutRoleLeavesAPolicyWithoutThePortalStatementAsItIs() {
		IamPolicy original = policy(AWS_DEFAULT_STATEMENT,
				AWS_DEFAULT_STATEMENT.replace(ROOT, ROLE_A).replace("Enable IAM User Permissions", "Custom"));
		IamPolicy patched = KeyPolicies.withoutRole(original, ROLE_A);
		assertThat(patched.statements()).isEqualTo(original.statements());
		assertThat(Policies.sameMeaning(patched, original)).isTrue();
	}

	@Test
	void withoutRoleOfAnUnlistedRoleKeepsThePortalStatement() {
		IamPolicy withA = KeyPolicies.withRole(policy(ADMIN_STATEMENT), ROLE_A);
		IamPolicy patched = KeyPolicies.withoutRole(withA, ROLE_B);
		assertThat(Policies.sameMeaning(patched, withA)).isTrue();
		assertThat(KeyPolicies.portalStatementLists(patched, ROLE_A)).isTrue();
	}

	private static boolean delegates(IamPolicy policy) {
		return KeyPolicies.delegatesToAccount(policy, "aws", ACCOUNT, KEY_ARN);
	}

	private static IamPolicy policy(String... statements) {
		return Policies.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}");
	}

	@Test
	void withRoleRepairsAPortalStatementEditedBehindThePortalsBack() {
		IamPolicy edited = policy(ADMIN_STATEMENT, """
				{"Sid": "TransferPortalUserRoles", "Effect": "Allow", "Principal": {"AWS": "%s"},
				 "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"""
			.formatted(ROLE_A));

		IamPolicy patched = KeyPolicies.withRole(edited, ROLE_B);

		assertThat(KeyPolicies.allowsRole(patched, ROLE_A, KEY_ARN)).isTrue();
		assertThat(KeyPolicies.allowsRole(patched, ROLE_B, KEY_ARN)).isTrue();
		assertThat(patched.statements()).hasSize(2);
		assertThat(patched.statements().get(0)).isEqualTo(edited.statements().get(0));
	}

	@ParameterizedTest
	@ValueSource(strings = { "AROAXXXXXXXXXXXXXXXXX", "AIDAYYYYYYYYYYYYYYYYY", "AGPAZZZZZZZZZZZZZZZZZ" })
	void anIdThatIsNoArnIsAnOrphanedPrincipal(String id) {
		assertThat(KeyPolicies.isOrphaned(IamPrincipal.create(IamPrincipalType.AWS, id))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { ROLE_A, ROOT, ACCOUNT, "*" })
	void arnsAccountIdsAndTheWildcardAreNotOrphans(String id) {
		assertThat(KeyPolicies.isOrphaned(IamPrincipal.create(IamPrincipalType.AWS, id))).isFalse();
		assertThat(KeyPolicies.isOrphaned(IamPrincipal.create(IamPrincipalType.SERVICE, "s3.amazonaws.com"))).isFalse();
	}

	@Test
	void theDeletedKindIsToldByTheIdsPrefix() {
		assertThat(KeyPolicies.describeOrphan("AROAXXXXXXXXXXXXXXXXX"))
			.isEqualTo("AROAXXXXXXXXXXXXXXXXX (a deleted role)");
		assertThat(KeyPolicies.describeOrphan("AIDAYYYYYYYYYYYYYYYYY"))
			.isEqualTo("AIDAYYYYYYYYYYYYYYYYY (a deleted user)");
	}

	@Test
	void withRoleAndWithoutRoleDropOrphansFromThePortalStatementOnly() {
		String portal = """
				{"Sid": "TransferPortalUserRoles", "Effect": "Allow", "Principal": {"AWS": ["%s", "AROAXXXXXXXXXXXXXXXXX"]},
				 "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"}"""
			.formatted(ROLE_A);
		String foreign = ADMIN_STATEMENT.replace("\"arn:aws:iam::123456789012:role/KeyAdmin\"",
				"[\"arn:aws:iam::123456789012:role/KeyAdmin\", \"AIDAYYYYYYYYYYYYYYYYY\"]");
		IamPolicy original = policy(foreign, portal);
		assertThat(KeyPolicies.portalOrphans(original)).containsExactly("AROAXXXXXXXXXXXXXXXXX");
		assertThat(KeyPolicies.foreignOrphans(original))
			.containsExactly(Map.entry("\"Allow key administrators\"", List.of("AIDAYYYYYYYYYYYYYYYYY")));

		IamPolicy added = KeyPolicies.withRole(original, ROLE_B);
		assertThat(KeyPolicies.portalOrphans(added)).isEmpty();
		assertThat(added.statements().get(1).principals()).extracting(IamPrincipal::id)
			.containsExactlyInAnyOrder(ROLE_A, ROLE_B);
		assertThat(added.statements().get(0)).as("not the portal's to change").isEqualTo(original.statements().get(0));

		IamPolicy removed = KeyPolicies.withoutRole(original, ROLE_A);
		assertThat(removed.statements()).as("the portal statement goes with its last real role").hasSize(1);
		assertThat(KeyPolicies.namesOrphans(removed)).isTrue();
	}

	@Test
	void aRoleCreatedAnewUnderTheSameNameIsAddedAgain() {
		// KMS replaced the deleted role's ARN by its unique id; the new role has a new id
		String portal = """
				{"Sid": "TransferPortalUserRoles", "Effect": "Allow", "Principal": {"AWS": "AROAXXXXXXXXXXXXXXXXX"},
				 "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"}""";
		IamPolicy original = policy(ADMIN_STATEMENT, portal);
		assertThat(KeyPolicies.allowsRole(original, ROLE_A, KEY_ARN)).isFalse();

		IamPolicy patched = KeyPolicies.withRole(original, ROLE_A);

		assertThat(patched.statements().get(1).principals()).extracting(IamPrincipal::id).containsExactly(ROLE_A);
	}

}
