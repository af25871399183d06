package io.transferportal.deploy;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import io.transferportal.provisioning.core.Target;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's IAM policy against the code: every AWS operation the portal calls is in
 * the policy, and the policy allows nothing the portal does not call, so neither a new
 * call nor a stale permission can slip in. The conditions and resources that moto's
 * policy evaluation does not check (it evaluates KMS and Transfer against resource "*",
 * and ignores condition keys) are checked here against the ARNs and tags the portal uses.
 */
class PortalPolicyTests {

	static final String ACCOUNT = "123456789012";

	static final String BOUNDARY = "arn:aws:iam::" + ACCOUNT + ":policy/transfer-portal-boundary";

	static final IamPolicy POLICY = PortalPolicy.render("eu-west-1", ACCOUNT, "/transfer-portal/", BOUNDARY);

	/**
	 * SDK operations whose IAM action has another name, from the "API operations" table
	 * of the Service Authorization Reference
	 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
	 */
	static final Map<String, String> ACTION_OF = Map.of("s3:GetBucketEncryption", "s3:GetEncryptionConfiguration",
			"s3:PutBucketEncryption", "s3:PutEncryptionConfiguration", "s3:ListBuckets", "s3:ListAllMyBuckets",
			"s3:HeadObject", "s3:GetObject");

	/**
	 * Actions an operation needs besides its own. CreateUser and UpdateUser pass the
	 * user's role to Transfer: iam:PassRole with iam:PassedToService
	 * transfer.amazonaws.com
	 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awstransferfamily.html);
	 * PutObject into a bucket whose default encryption is SSE-KMS needs
	 * kms:GenerateDataKey on the key
	 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys).
	 */
	static final Map<String, List<String>> DEPENDENT = Map.of("transfer:CreateUser", List.of("iam:PassRole"),
			"transfer:UpdateUser", List.of("iam:PassRole"), "s3:PutObject", List.of("kms:GenerateDataKey"));

	/**
	 * "No permissions are required to perform this operation"
	 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
	 */
	static final Set<String> NEEDS_NO_PERMISSION = Set.of("sts:GetCallerIdentity");

	/** The demo emulator's set-up calls, made only under the demo profile. */
	static final String DEMO_PACKAGE = "io.transferportal.provisioning.demo";

	/** The methods of an SDK client that are not AWS operations. */
	static final Set<String> NOT_OPERATIONS = Set.of("close", "serviceName", "serviceClientConfiguration", "utilities",
			"waiter", "builder", "create");

	static final Pattern SDK_CLIENT = Pattern.compile("software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.(\\w+)Client");

	@Test
	void thePolicyAllowsExactlyTheActionsTheCodeCalls() {
		Set<String> called = actionsCalled();
		assertThat(called).as("operations the code calls").isNotEmpty().contains("iam:createrole", "kms:putkeypolicy");
		assertThat(PortalPolicy.allowedActions(POLICY)).as("actions %s allows", PortalPolicy.FILE)
			.containsExactlyInAnyOrderElementsOf(called);
	}

	@Test
	void everyActionIsNamedInFullAndOnlyOnceInItsStatement() {
		for (IamStatement statement : POLICY.statements()) {
			assertThat(statement.sid()).as("every statement has a Sid").isNotBlank();
			assertThat(statement.actions()).as(statement.sid())
				.isNotEmpty()
				.allSatisfy((action) -> assertThat(action.value()).as("no wildcard in %s", statement.sid())
					.doesNotContain("*"));
			assertThat(statement.actions()).as(statement.sid()).doesNotHaveDuplicates();
		}
		assertThat(POLICY.statements().stream().map(IamStatement::sid)).doesNotHaveDuplicates();
	}

	@Test
	void theTemplateUsesOnlyTheVariablesTheTerraformModulePasses() {
		assertThat(PortalPolicy.variablesUsed()).containsExactlyInAnyOrderElementsOf(PortalPolicy.VARIABLES);
	}

	/**
	 * Every role write is on the portal's role path; CreateRole only with the boundary
	 * and the portal's tag; every other role write only on a role that carries the tag.
	 */
	@Test
	void roleWritesAreLimitedToThePortalsTaggedRolesOnItsPath() {
		String portalRoles = "arn:aws:iam::" + ACCOUNT + ":role/transfer-portal/*";
		IamStatement create = PortalPolicy.statement(POLICY, "CreateRolesWithBoundary");
		assertThat(resources(create)).containsExactly(portalRoles);
		assertThat(condition(create, "StringEquals", "iam:PermissionsBoundary")).containsExactly(BOUNDARY);
		assertThat(condition(create, "StringEquals", "aws:RequestTag/" + Target.MANAGED_TAG))
			.containsExactly(Target.MANAGED_TAG_VALUE);
		for (String sid : List.of("ChangeManagedRoles", "RestoreRoleBoundary")) {
			IamStatement change = PortalPolicy.statement(POLICY, sid);
			assertThat(resources(change)).as(sid).containsExactly(portalRoles);
			assertThat(condition(change, "StringEquals", "aws:ResourceTag/" + Target.MANAGED_TAG)).as(sid)
				.containsExactly(Target.MANAGED_TAG_VALUE);
		}
		assertThat(condition(PortalPolicy.statement(POLICY, "RestoreRoleBoundary"), "StringEquals",
				"iam:PermissionsBoundary"))
			.containsExactly(BOUNDARY);
		IamStatement pass = PortalPolicy.statement(POLICY, "PassUserRolesToTransfer");
		assertThat(resources(pass)).containsExactly(portalRoles);
		assertThat(condition(pass, "StringEquals", "iam:PassedToService")).containsExactly("transfer.amazonaws.com");
	}

	/**
	 * The Deny statements hold whatever else the portal's role is given: no boundary
	 * removed, no other boundary set, the boundary policy itself never changed.
	 */
	@Test
	void boundariesCannotBeLoosened() {
		IamStatement remove = PortalPolicy.statement(POLICY, "DenyRemovingRoleBoundaries");
		assertThat(remove.effect().value()).isEqualTo("Deny");
		assertThat(actions(remove)).containsExactly("iam:DeleteRolePermissionsBoundary");
		assertThat(resources(remove)).containsExactly("*");
		IamStatement other = PortalPolicy.statement(POLICY, "DenyOtherRoleBoundaries");
		assertThat(other.effect().value()).isEqualTo("Deny");
		assertThat(actions(other)).containsExactlyInAnyOrder("iam:CreateRole", "iam:PutRolePermissionsBoundary");
		assertThat(condition(other, "StringNotEquals", "iam:PermissionsBoundary")).containsExactly(BOUNDARY);
		IamStatement policy = PortalPolicy.statement(POLICY, "DenyChangingTheBoundaryPolicy");
		assertThat(policy.effect().value()).isEqualTo("Deny");
		assertThat(resources(policy)).containsExactly(BOUNDARY);
		assertThat(actions(policy)).contains("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion");
	}

	/**
	 * Transfer users: created only with the portal's tag, changed only when they carry
	 * it; KMS key policies only on keys an operator tagged for the portal; data keys only
	 * for S3 in the account.
	 */
	@Test
	void userAndKeyWritesAreLimitedByTags() {
		IamStatement create = PortalPolicy.statement(POLICY, "CreateManagedTransferUsers");
		assertThat(condition(create, "StringEquals", "aws:RequestTag/" + Target.MANAGED_TAG))
			.containsExactly(Target.MANAGED_TAG_VALUE);
		IamStatement change = PortalPolicy.statement(POLICY, "ChangeManagedTransferUsers");
		assertThat(condition(change, "StringEquals", "aws:ResourceTag/" + Target.MANAGED_TAG))
			.containsExactly(Target.MANAGED_TAG_VALUE);
		IamStatement keys = PortalPolicy.statement(POLICY, "PatchTaggedKeyPolicies");
		assertThat(condition(keys, "StringEquals", "aws:ResourceTag/transfer-portal:key-policy"))
			.containsExactly("portal-managed");
		IamStatement dataKeys = PortalPolicy.statement(POLICY, "EncryptHomeFolderMarkers");
		assertThat(condition(dataKeys, "StringEquals", "kms:ViaService")).containsExactly("s3.eu-west-1.amazonaws.com");
		assertThat(condition(dataKeys, "StringEquals", "kms:CallerAccount")).containsExactly(ACCOUNT);
	}

	/**
	 * The resources of each statement match the ARNs the portal acts on (IAM's wildcard
	 * matching: * any characters, ? one) and not those of another account or Region.
	 */
	@Test
	void theResourcesMatchTheArnsThePortalUses() {
		String server = "arn:aws:transfer:eu-west-1:" + ACCOUNT + ":server/s-0123456789abcdef0";
		String user = "arn:aws:transfer:eu-west-1:" + ACCOUNT + ":user/s-0123456789abcdef0/alice";
		String role = "arn:aws:iam::" + ACCOUNT + ":role/transfer-portal/transfer-portal-alice";
		String existingRole = "arn:aws:iam::" + ACCOUNT + ":role/transfer-users/partner-a";
		String key = "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
		String bucket = "arn:aws:s3:::partner-drop";
		String marker = "arn:aws:s3:::partner-drop/alice/";
		Map<String, List<String>> allowed = Map.ofEntries(Map.entry("ReadTransferServers", List.of(server)),
				Map.entry("ReadTransferUsers", List.of(user)),
				Map.entry("CreateManagedTransferUsers", List.of(server, user)),
				Map.entry("ChangeManagedTransferUsers", List.of(user)),
				Map.entry("PassUserRolesToTransfer", List.of(role)),
				Map.entry("ReadRoles", List.of(role, existingRole)),
				Map.entry("CreateRolesWithBoundary", List.of(role)), Map.entry("ChangeManagedRoles", List.of(role)),
				Map.entry("RestoreRoleBoundary", List.of(role)), Map.entry("ReadKeys", List.of(key)),
				Map.entry("PatchTaggedKeyPolicies", List.of(key)), Map.entry("EncryptHomeFolderMarkers", List.of(key)),
				Map.entry("ReadBuckets", List.of(bucket)), Map.entry("SetBucketEncryption", List.of(bucket)),
				Map.entry("HomeFolderMarkers", List.of(marker)));
		allowed.forEach((sid, arns) -> {
			List<String> patterns = resources(PortalPolicy.statement(POLICY, sid));
			for (String arn : arns) {
				assertThat(patterns).as("%s covers %s", sid, arn).anyMatch((pattern) -> matches(pattern, arn));
				String otherAccount = arn.replace(ACCOUNT, "210987654321");
				if (!otherAccount.equals(arn)) {
					assertThat(patterns).as("%s excludes %s", sid, otherAccount)
						.noneMatch((pattern) -> matches(pattern, otherAccount));
				}
				String otherRegion = arn.replace("eu-west-1", "us-east-1");
				if (!otherRegion.equals(arn)) {
					assertThat(patterns).as("%s excludes %s", sid, otherRegion)
						.noneMatch((pattern) -> matches(pattern, otherRegion));
				}
			}
		});
		// a role outside the portal's path is never written nor passed
		for (String sid : List.of("PassUserRolesToTransfer", "CreateRolesWithBoundary", "ChangeManagedRoles",
				"RestoreRoleBoundary")) {
			assertThat(resources(PortalPolicy.statement(POLICY, sid))).as(sid)
				.noneMatch((pattern) -> matches(pattern, existingRole));
		}
	}

	/**
	 * An existing role of an allowed path is passed to Transfer only, and gets the
	 * portal's inline KMS policy only where its owner tagged it for that (IAM's role
	 * resource takes aws:ResourceTag for PutRolePolicy and DeleteRolePolicy:
	 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
	 */
	@Test
	void existingRolesArePassedToTransferAndPatchedOnlyWhereTagged() {
		IamPolicy existing = PortalPolicy.renderExistingRoles(ACCOUNT, "/transfer-users/");
		String role = "arn:aws:iam::" + ACCOUNT + ":role/transfer-users/partner-a";
		String elsewhere = "arn:aws:iam::" + ACCOUNT + ":role/admins/break-glass";
		IamStatement pass = PortalPolicy.statement(existing, "PassExistingRolesToTransfer");
		assertThat(pass.actions()).extracting((action) -> action.value()).containsExactly("iam:PassRole");
		assertThat(condition(pass, "StringEquals", "iam:PassedToService")).containsExactly("transfer.amazonaws.com");
		IamStatement patch = PortalPolicy.statement(existing, "PatchTaggedExistingRoles");
		assertThat(patch.actions()).extracting((action) -> action.value())
			.containsExactlyInAnyOrder("iam:PutRolePolicy", "iam:DeleteRolePolicy");
		assertThat(condition(patch, "StringEquals", "aws:ResourceTag/transfer-portal:role-policy"))
			.containsExactly("portal-managed");
		for (IamStatement statement : existing.statements()) {
			assertThat(resources(statement)).as(statement.sid())
				.anyMatch((pattern) -> matches(pattern, role))
				.noneMatch((pattern) -> matches(pattern, elsewhere))
				.noneMatch((pattern) -> matches(pattern, role.replace(ACCOUNT, "210987654321")));
		}
		// nothing else: no role is created, tagged, trusted or bounded there
		assertThat(PortalPolicy.allowedActions(existing)).containsExactly("iam:deleterolepolicy", "iam:passrole",
				"iam:putrolepolicy");
	}

	/** The operations of the main code, as IAM actions, lower case. */
	static Set<String> actionsCalled() {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.transferportal");
		Set<String> actions = new TreeSet<>();
		classes.stream()
			.filter((type) -> !type.getPackageName().startsWith(DEMO_PACKAGE))
			.flatMap((type) -> type.getMethodCallsFromSelf().stream())
			.map(PortalPolicyTests::operation)
			.filter((operation) -> operation != null && !NEEDS_NO_PERMISSION.contains(operation))
			.forEach((operation) -> {
				actions.add(ACTION_OF.getOrDefault(operation, operation));
				actions.addAll(DEPENDENT.getOrDefault(operation, List.of()));
			});
		return lowerCase(actions);
	}

	/** "service:Operation" for a call of an SDK client's operation, else null. */
	private static String operation(JavaMethodCall call) {
		var matcher = SDK_CLIENT.matcher(call.getTargetOwner().getName());
		if (!matcher.matches()) {
			return null;
		}
		String method = call.getName();
		boolean paginator = method.endsWith("Paginator");
		if (NOT_OPERATIONS.contains(method)) {
			return null;
		}
		String name = paginator ? method.substring(0, method.length() - "Paginator".length()) : method;
		return matcher.group(1) + ":" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}

	private static Set<String> lowerCase(Collection<String> actions) {
		Set<String> lower = new TreeSet<>();
		actions.forEach((action) -> lower.add(action.toLowerCase(Locale.ROOT)));
		return lower;
	}

	/** IAM's ARN wildcards: * any run of characters, ? one. */
	static boolean matches(String pattern, String arn) {
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return arn.matches(regex.toString());
	}

	private static List<String> actions(IamStatement statement) {
		return statement.actions().stream().map((action) -> action.value()).toList();
	}

	private static List<String> resources(IamStatement statement) {
		return statement.resources().stream().map((resource) -> resource.value()).toList();
	}

	private static List<String> condition(IamStatement statement, String operator, String key) {
		return statement.conditions()
			.stream()
			.filter((condition) -> condition.operator().value().equals(operator) && condition.key().value().equals(key))
			.map(IamCondition::value)
			.toList();
	}

}
