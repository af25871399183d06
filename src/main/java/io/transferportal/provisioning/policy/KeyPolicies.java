package io.transferportal.provisioning.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

/**
 * Reads and patches KMS key policies. The portal only ever edits one statement of its own
 * (fixed Sid) and leaves every other statement as it found it.
 */
public final class KeyPolicies {

	/** Sid of the one statement the portal owns in a key policy. */
	public static final String PORTAL_SID = "TransferPortalUserRoles";

	/**
	 * Sid of the portal's constant-size statement in {@code role-path} mode: every role
	 * under the portal's role path, through S3, in the portal's account.
	 */
	public static final String ROLE_PATH_SID = "TransferPortalRolePath";

	private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

	private KeyPolicies() {
	}

	/**
	 * Whether the key policy lets the account delegate key use to IAM policies: an
	 * unconditional Allow for the account principal covering the Transfer KMS actions on
	 * the key. Detected by principal and actions, never by Sid (AWS and moto name that
	 * statement differently).
	 */
	public static boolean delegatesToAccount(IamPolicy policy, String partition, String accountId, String keyArn) {
		String root = "arn:" + partition + ":iam::" + accountId + ":root";
		return policy.statements()
			.stream()
			.anyMatch((statement) -> grantsKmsActions(statement, keyArn) && statement.principals()
				.stream()
				.anyMatch((principal) -> isAws(principal)
						&& (principal.id().equals(root) || principal.id().equals(accountId))));
	}

	/**
	 * Whether any statement already allows the role the Transfer KMS actions on the key,
	 * unconditionally.
	 */
	public static boolean allowsRole(IamPolicy policy, String roleArn, String keyArn) {
		return policy.statements()
			.stream()
			.anyMatch((statement) -> grantsKmsActions(statement, keyArn) && statement.principals()
				.stream()
				.anyMatch((principal) -> isAws(principal) && principal.id().equals(roleArn)));
	}

	/** Whether the portal's own statement lists the role. */
	public static boolean portalStatementLists(IamPolicy policy, String roleArn) {
		return portalStatement(policy)
			.map((statement) -> statement.principals()
				.stream()
				.anyMatch((principal) -> isAws(principal) && principal.id().equals(roleArn)))
			.orElse(false);
	}

	/**
	 * The policy with the role added to the portal's statement (created if absent); other
	 * statements untouched. The portal's statement is rewritten to its canonical form
	 * (Transfer KMS actions, no conditions), so an edit made to it behind the portal's
	 * back is repaired rather than carried along; orphaned principals are dropped from it
	 * (see {@link #isOrphaned}).
	 */
	public static IamPolicy withRole(IamPolicy policy, String roleArn) {
		Optional<IamStatement> existing = portalStatement(policy);
		List<String> roles = new ArrayList<>();
		existing.ifPresent((statement) -> statement.principals()
			.stream()
			.filter((principal) -> isAws(principal) && !isOrphaned(principal))
			.forEach((principal) -> roles.add(principal.id())));
		roles.add(roleArn);
		IamStatement statement = portalStatement(roles.stream().distinct().sorted().toList());
		List<IamStatement> statements = new ArrayList<>(policy.statements());
		if (existing.isPresent()) {
			statements.set(statements.indexOf(existing.get()), statement);
		}
		else {
			statements.add(statement);
		}
		return policy.copy((builder) -> builder.statements(statements));
	}

	private static IamStatement portalStatement(List<String> roleArns) {
		return IamStatement.builder()
			.sid(PORTAL_SID)
			.effect(IamEffect.ALLOW)
			.addPrincipals(IamPrincipalType.AWS, roleArns)
			.actionIds(TransferPolicies.KMS_ACTIONS)
			.addResource("*")
			.build();
	}

	/**
	 * The portal's statement in {@code role-path} mode, whose size does not depend on the
	 * number of users. Its principal is the account, so it only lets the account delegate
	 * through IAM policies: 'When the principal in a key policy statement is the account
	 * principal, the policy statement doesn't give any IAM users or roles permission ...
	 * it allows the account to use IAM policies to delegate'
	 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html); the
	 * user's role policy, which grants the same actions on this key, is that IAM policy.
	 * Its conditions narrow the delegation
	 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html):
	 * {@code aws:PrincipalArn} (for a role session, the ARN of the role, path included)
	 * must be under the portal's role path; {@code kms:ViaService} limits use to requests
	 * S3 makes on the principal's behalf in the key's Region (SFTP traffic reaches KMS
	 * only through S3's default encryption); {@code kms:CallerAccount} keeps it to the
	 * account. The actions are those every access level needs together (read-only users
	 * need only a part; their role policies grant no more).
	 * @param partition the ARN partition
	 * @param accountId the portal's account, which owns the key and the roles
	 * @param region the key's Region
	 * @param rolePath the IAM path of the portal's dedicated roles, e.g.
	 * {@code /transfer-portal/}
	 */
	public static IamStatement rolePathStatement(String partition, String accountId, String region, String rolePath) {
		String dnsSuffix = partition.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
		return IamStatement.builder()
			.sid(ROLE_PATH_SID)
			.effect(IamEffect.ALLOW)
			.addPrincipal(IamPrincipalType.AWS, "arn:" + partition + ":iam::" + accountId + ":root")
			.actionIds(TransferPolicies.KMS_ACTIONS)
			.addResource("*")
			.addCondition(IamConditionOperator.ARN_LIKE, "aws:PrincipalArn",
					rolePathPattern(partition, accountId, rolePath))
			.addCondition(IamConditionOperator.STRING_EQUALS, "kms:ViaService", "s3." + region + "." + dnsSuffix)
			.addCondition(IamConditionOperator.STRING_EQUALS, "kms:CallerAccount", accountId)
			.build();
	}

	/**
	 * The ARN pattern of every role under the path:
	 * {@code arn:aws:iam::1234:role/path/*}.
	 */
	public static String rolePathPattern(String partition, String accountId, String rolePath) {
		return "arn:" + partition + ":iam::" + accountId + ":role" + rolePath + "*";
	}

	/**
	 * Whether the role is under the path (so the role-path statement covers it). Role
	 * paths are case-sensitive, as ARNs are compared by {@code ArnLike}.
	 */
	public static boolean underRolePath(String roleArn, String partition, String accountId, String rolePath) {
		String pattern = rolePathPattern(partition, accountId, rolePath);
		return roleArn.startsWith(pattern.substring(0, pattern.length() - 1));
	}

	/**
	 * Whether the policy holds this statement, as the portal writes it (same principal,
	 * actions, resource and conditions, whatever their order).
	 */
	public static boolean holds(IamPolicy policy, IamStatement wanted) {
		IamStatement normalized = Policies.normalize(wanted);
		return policy.statements().stream().anyMatch((statement) -> Policies.normalize(statement).equals(normalized));
	}

	/**
	 * The policy with the role-path statement added (or its Sid's statement replaced by
	 * it, repairing an edit made behind the portal's back), and orphaned principals
	 * dropped from the portal's role-list statement (KMS refuses every write while the
	 * policy names one); every other statement untouched.
	 */
	public static IamPolicy withRolePathStatement(IamPolicy policy, IamStatement wanted) {
		List<IamStatement> statements = new ArrayList<>(withoutPortalOrphans(policy).statements());
		Optional<IamStatement> existing = statements.stream()
			.filter((statement) -> ROLE_PATH_SID.equals(statement.sid()))
			.findFirst();
		if (existing.isPresent()) {
			statements.set(statements.indexOf(existing.get()), wanted);
		}
		else {
			statements.add(wanted);
		}
		return policy.copy((builder) -> builder.statements(statements));
	}

	/** Whether the policy has a statement with the role-path Sid, in whatever form. */
	public static boolean hasRolePathSid(IamPolicy policy) {
		return policy.statements().stream().anyMatch((statement) -> ROLE_PATH_SID.equals(statement.sid()));
	}

	private static IamPolicy withoutPortalOrphans(IamPolicy policy) {
		Optional<IamStatement> existing = portalStatement(policy);
		if (existing.isEmpty() || portalOrphans(policy).isEmpty()) {
			return policy;
		}
		IamStatement statement = existing.get();
		List<IamPrincipal> remaining = statement.principals()
			.stream()
			.filter((principal) -> !isOrphaned(principal))
			.toList();
		return withPrincipals(policy, statement, remaining);
	}

	/**
	 * The policy with the portal's statement naming only these principals, or without it
	 * when none is left; every other statement as it was.
	 */
	private static IamPolicy withPrincipals(IamPolicy policy, IamStatement statement, List<IamPrincipal> remaining) {
		List<IamStatement> statements = new ArrayList<>(policy.statements());
		if (remaining.isEmpty()) {
			statements.remove(statement);
		}
		else {
			statements.set(statements.indexOf(statement), statement.copy((builder) -> builder.principals(remaining)));
		}
		return policy.copy((builder) -> builder.statements(statements));
	}

	/**
	 * The policy with the role and every orphaned principal removed from the portal's
	 * statement; the statement goes when its last role does.
	 */
	public static IamPolicy withoutRole(IamPolicy policy, String roleArn) {
		Optional<IamStatement> existing = portalStatement(policy);
		if (existing.isEmpty()) {
			return policy;
		}
		IamStatement statement = existing.get();
		List<IamPrincipal> remaining = statement.principals()
			.stream()
			.filter((principal) -> !(isAws(principal) && (principal.id().equals(roleArn) || isOrphaned(principal))))
			.toList();
		return withPrincipals(policy, statement, remaining);
	}

	/**
	 * Whether an AWS principal is one KMS shows by its unique id ({@code AROA...} for a
	 * role, {@code AIDA...} for a user) because the IAM identity it named was deleted.
	 * Such a principal can never match again (a role created anew under the same name
	 * gets a new id), and while a policy names it, PutKeyPolicy fails with "invalid
	 * principals"
	 * (https://repost.aws/knowledge-center/kms-policy-error-invalid-principals; unique
	 * ids are never reused, so they can be removed safely:
	 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
	 * Everything that is not an ARN, an account id or {@code *} counts as such.
	 */
	public static boolean isOrphaned(IamPrincipal principal) {
		String id = principal.id();
		return isAws(principal) && !id.equals("*") && !id.startsWith("arn:") && !ACCOUNT_ID.matcher(id).matches();
	}

	/** An orphaned principal in words: {@code AROA... (a deleted role)}. */
	public static String describeOrphan(String id) {
		String kind = id.startsWith("AROA") ? "a deleted role"
				: id.startsWith("AIDA") ? "a deleted user" : "a principal that no longer exists";
		return id + " (" + kind + ")";
	}

	/** Whether any statement names an orphaned principal. */
	public static boolean namesOrphans(IamPolicy policy) {
		return policy.statements().stream().anyMatch((statement) -> !orphans(statement).isEmpty());
	}

	/** The orphaned principals of the portal's own statement, which the portal drops. */
	public static List<String> portalOrphans(IamPolicy policy) {
		return portalStatement(policy).map(KeyPolicies::orphans).orElse(List.of());
	}

	/**
	 * The statements the portal does not own that name orphaned principals, each with its
	 * orphans: a person must remove them before the portal can write the key policy.
	 */
	public static Map<String, List<String>> foreignOrphans(IamPolicy policy) {
		Map<String, List<String>> found = new LinkedHashMap<>();
		List<IamStatement> statements = policy.statements();
		for (int i = 0; i < statements.size(); i++) {
			IamStatement statement = statements.get(i);
			List<String> orphans = orphans(statement);
			if (!PORTAL_SID.equals(statement.sid()) && !orphans.isEmpty()) {
				found.put(label(statement, i), orphans);
			}
		}
		return found;
	}

	/**
	 * How a plan names a statement: its Sid, or its position when it has none (a Sid is
	 * optional in a key policy).
	 */
	public static String label(IamStatement statement, int index) {
		return (statement.sid() != null) ? "\"" + statement.sid() + "\"" : "number " + (index + 1) + " (no Sid)";
	}

	private static List<String> orphans(IamStatement statement) {
		return Stream.concat(statement.principals().stream(), statement.notPrincipals().stream())
			.filter(KeyPolicies::isOrphaned)
			.map(IamPrincipal::id)
			.distinct()
			.toList();
	}

	private static Optional<IamStatement> portalStatement(IamPolicy policy) {
		return policy.statements().stream().filter((statement) -> PORTAL_SID.equals(statement.sid())).findFirst();
	}

	private static boolean grantsKmsActions(IamStatement statement, String keyArn) {
		return "Allow".equals(statement.effect().value()) && statement.conditions().isEmpty()
				&& statement.notActions().isEmpty() && statement.notResources().isEmpty()
				&& statement.notPrincipals().isEmpty()
				&& TransferPolicies.KMS_ACTIONS.stream()
					.allMatch((needed) -> statement.actions()
						.stream()
						.anyMatch((action) -> Conditions.actionMatches(action.value(), needed)))
				&& statement.resources()
					.stream()
					.anyMatch((resource) -> resource.value().equals("*") || resource.value().equals(keyArn));
	}

	private static boolean isAws(IamPrincipal principal) {
		return "AWS".equals(principal.type().value());
	}

}
