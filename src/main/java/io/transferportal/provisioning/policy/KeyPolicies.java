package io.transferportal.provisioning.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

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
	 * back is repaired rather than carried along.
	 */
	public static IamPolicy withRole(IamPolicy policy, String roleArn) {
		Optional<IamStatement> existing = portalStatement(policy);
		List<String> roles = new ArrayList<>();
		existing.ifPresent((statement) -> statement.principals()
			.stream()
			.filter(KeyPolicies::isAws)
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
	 * The policy with the role removed from the portal's statement; the statement goes
	 * when its last role does.
	 */
	public static IamPolicy withoutRole(IamPolicy policy, String roleArn) {
		Optional<IamStatement> existing = portalStatement(policy);
		if (existing.isEmpty()) {
			return policy;
		}
		IamStatement statement = existing.get();
		List<IamPrincipal> remaining = statement.principals()
			.stream()
			.filter((principal) -> !(isAws(principal) && principal.id().equals(roleArn)))
			.toList();
		List<IamStatement> statements = new ArrayList<>(policy.statements());
		if (remaining.isEmpty()) {
			statements.remove(statement);
		}
		else {
			statements.set(statements.indexOf(statement), statement.copy((builder) -> builder.principals(remaining)));
		}
		return policy.copy((builder) -> builder.statements(statements));
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
						.anyMatch((action) -> matches(action.value(), needed)))
				&& statement.resources()
					.stream()
					.anyMatch((resource) -> resource.value().equals("*") || resource.value().equals(keyArn));
	}

	private static boolean isAws(IamPrincipal principal) {
		return "AWS".equals(principal.type().value());
	}

	/** IAM action matching: case-insensitive, with {@code *} and {@code ?} wildcards. */
	static boolean matches(String pattern, String action) {
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.matches(regex.toString(), action.toLowerCase(Locale.ROOT));
	}

}
