package io.transferportal.provisioning.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import io.transferportal.provisioning.policy.Conditions;
import io.transferportal.provisioning.policy.Conditions.Truth;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.TransferPolicies;

/**
 * Finds the Deny statements of a key policy that can stop a Transfer user's role from
 * using the key. An explicit deny overrides every allow
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
 * so neither the account delegation nor the portal's own statement helps against one.
 * <p>
 * The rule, for a Deny whose actions cover one of the user's KMS actions
 * ({@link TransferPolicies#KMS_ACTIONS}, wildcards and {@code NotAction} included) on
 * this key:
 * <ul>
 * <li>it <em>certainly</em> applies (a plan problem) when its principal is {@code "*"},
 * {@code {"AWS": "*"}}, the role's ARN, or the role's account (the account principal
 * stands for every principal of the account:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts),
 * and each of its conditions is known to hold for the user's requests;</li>
 * <li>it is <em>ruled out</em> (nothing reported) when its principal names only others,
 * or one of its conditions is known not to hold;</li>
 * <li>otherwise it <em>may</em> apply (a plan warning): a {@code NotPrincipal} (which has
 * to name the role session, not only the role, to spare it:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
 * or a condition the portal cannot evaluate.</li>
 * </ul>
 * Conditions are evaluated only where the value is known for every request the user makes
 * through S3: {@code aws:PrincipalArn} (the role's ARN for a role session),
 * {@code aws:PrincipalAccount} and {@code kms:CallerAccount} (the account), and
 * {@code kms:ViaService} ({@code s3.<region>.amazonaws.com}), with the String and ARN
 * operators. That covers the common guard "deny unless the caller is one of these roles"
 * ({@code StringNotLike aws:PrincipalArn [...]}).
 */
final class DenyStatements {

	private DenyStatements() {
	}

	static List<Finding> find(IamPolicy policy, Caller caller) {
		List<Finding> findings = new ArrayList<>();
		List<IamStatement> statements = policy.statements();
		for (int i = 0; i < statements.size(); i++) {
			IamStatement statement = statements.get(i);
			if (!"Deny".equals(statement.effect().value())) {
				continue;
			}
			List<String> denied = deniedActions(statement);
			if (denied.isEmpty() || !coversKey(statement, caller.keyArn())) {
				continue;
			}
			Truth principal = principalMatches(statement, caller);
			Truth conditions = conditionsHold(statement, caller);
			if (principal == Truth.NO || conditions == Truth.NO) {
				continue;
			}
			findings.add(new Finding(KeyPolicies.label(statement, i), denied,
					principal == Truth.YES && conditions == Truth.YES));
		}
		return findings;
	}

	private static List<String> deniedActions(IamStatement statement) {
		return TransferPolicies.KMS_ACTIONS.stream().filter((needed) -> {
			if (!statement.actions().isEmpty()) {
				return statement.actions()
					.stream()
					.anyMatch((action) -> Conditions.actionMatches(action.value(), needed));
			}
			// NotAction: every action but the listed ones
			return !statement.notActions().isEmpty() && statement.notActions()
				.stream()
				.noneMatch((action) -> Conditions.actionMatches(action.value(), needed));
		}).toList();
	}

	/** In a key policy, {@code "Resource": "*"} means this key. */
	private static boolean coversKey(IamStatement statement, String keyArn) {
		if (!statement.resources().isEmpty()) {
			return statement.resources()
				.stream()
				.anyMatch((resource) -> Conditions.arnMatches(resource.value(), keyArn));
		}
		return statement.notResources().isEmpty() || statement.notResources()
			.stream()
			.noneMatch((resource) -> Conditions.arnMatches(resource.value(), keyArn));
	}

	private static Truth principalMatches(IamStatement statement, Caller caller) {
		if (!statement.principals().isEmpty()) {
			String root = "arn:" + caller.roleArn().split(":")[1] + ":iam::" + caller.accountId() + ":root";
			boolean matches = statement.principals()
				.stream()
				.anyMatch((principal) -> principal.equals(IamPrincipal.ALL) || ("AWS".equals(principal.type().value())
						&& (principal.id().equals("*") || principal.id().equals(caller.roleArn())
								|| principal.id().equals(root) || principal.id().equals(caller.accountId()))));
			return matches ? Truth.YES : Truth.NO;
		}
		return Truth.MAYBE;
	}

	/** Conditions are ANDed: one that does not hold rules the statement out. */
	private static Truth conditionsHold(IamStatement statement, Caller caller) {
		return Conditions.hold(statement.conditions(), (key) -> known(key, caller));
	}

	private static @Nullable String known(String key, Caller caller) {
		return switch (key.toLowerCase(Locale.ROOT)) {
			case "aws:principalarn" -> caller.roleArn();
			case "aws:principalaccount", "kms:calleraccount" -> caller.accountId();
			case "kms:viaservice" -> caller.viaService();
			default -> null;
		};
	}

	/**
	 * One Deny statement that may, or certainly does, apply to the role.
	 *
	 * @param statement how the plan names it (its Sid)
	 * @param actions the user's KMS actions it denies
	 * @param certain whether it applies for sure
	 */
	record Finding(String statement, List<String> actions, boolean certain) {
	}

	/**
	 * What every request of the user reaches KMS with.
	 *
	 * @param roleArn the user's role
	 * @param accountId the role's account
	 * @param keyArn the key
	 * @param viaService the S3 endpoint that calls KMS for the user
	 */
	record Caller(String roleArn, String accountId, String keyArn, String viaService) {

		static Caller of(String roleArn, String accountId, String partition, String keyArn) {
			String region = keyArn.split(":")[3];
			// kms:ViaService is the service's endpoint name in the key's partition
			// (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service)
			String suffix = partition.equals("aws-cn") ? ".amazonaws.com.cn" : ".amazonaws.com";
			return new Caller(roleArn, accountId, keyArn, "s3." + region + suffix);
		}

	}

}
