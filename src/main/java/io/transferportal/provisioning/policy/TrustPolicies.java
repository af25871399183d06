package io.transferportal.provisioning.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import io.transferportal.provisioning.policy.Conditions.Truth;

/**
 * Whether a role's trust policy lets AWS Transfer assume the role for one user.
 * <p>
 * Transfer assumes a user's role as the service principal {@code transfer.amazonaws.com}
 * and sets {@code aws:SourceAccount} and {@code aws:SourceArn} (the user's ARN), which is
 * what AWS recommends trust policies to check against the confused deputy
 * (https://docs.aws.amazon.com/transfer/latest/userguide/confused-deputy.html). The
 * portal evaluates exactly those: a statement with any other condition key, or with a
 * {@code NotPrincipal} or {@code NotAction}, cannot be shown to admit the user and does
 * not count.
 */
public final class TrustPolicies {

	private static final String TRANSFER = "transfer.amazonaws.com";

	private static final String ASSUME_ROLE = "sts:AssumeRole";

	private TrustPolicies() {
	}

	/**
	 * Why Transfer cannot assume the role for this user; empty when a statement allows it
	 * and no Deny stops it.
	 * @param accountId the account the user is in
	 * @param userArn the Transfer user's ARN
	 */
	public static Optional<String> whyNotAssumableFor(IamPolicy trust, String accountId, String userArn) {
		Map<String, String> context = Map.of("aws:sourceaccount", accountId, "aws:sourcearn", userArn);
		List<String> unproven = new ArrayList<>();
		boolean allowed = false;
		for (IamStatement statement : trust.statements()) {
			if (!namesTransfer(statement)) {
				continue;
			}
			Truth evaluation = Conditions.hold(statement.conditions(), context::get);
			if (IamEffect.DENY.equals(statement.effect()) && evaluation == Truth.YES) {
				return Optional.of("its trust policy denies " + TRANSFER + " " + ASSUME_ROLE + label(statement));
			}
			if (IamEffect.ALLOW.equals(statement.effect())) {
				if (evaluation == Truth.YES) {
					allowed = true;
				}
				else {
					unproven.add(label(statement).trim() + ((evaluation == Truth.MAYBE)
							? " has conditions the portal cannot evaluate (it checks aws:SourceAccount and aws:SourceArn)"
							: " has conditions that exclude this user"));
				}
			}
		}
		if (allowed) {
			return Optional.empty();
		}
		String reason = "its trust policy does not let " + TRANSFER + " " + ASSUME_ROLE + " for user " + userArn
				+ " in account " + accountId;
		return Optional.of(unproven.isEmpty() ? reason : reason + ": " + String.join("; ", unproven));
	}

	/**
	 * An Allow or Deny for the Transfer service principal (or everyone) and
	 * {@code sts:AssumeRole}, without the negated forms the portal does not evaluate.
	 */
	private static boolean namesTransfer(IamStatement statement) {
		if (!statement.notPrincipals().isEmpty() || !statement.notActions().isEmpty()) {
			return false;
		}
		boolean principal = statement.principals().stream().anyMatch(TrustPolicies::isTransferOrEveryone);
		boolean assumeRole = statement.actions()
			.stream()
			.anyMatch((action) -> Conditions.actionMatches(action.value(), ASSUME_ROLE));
		return principal && assumeRole;
	}

	private static boolean isTransferOrEveryone(IamPrincipal principal) {
		return IamPrincipal.ALL.equals(principal)
				|| (principal.type().equals(IamPrincipalType.SERVICE) && TRANSFER.equals(principal.id()))
				|| (principal.type().equals(IamPrincipalType.AWS) && "*".equals(principal.id()));
	}

	private static String label(IamStatement statement) {
		return (statement.sid() != null) ? " (statement " + statement.sid() + ")" : " (a statement without Sid)";
	}

}
