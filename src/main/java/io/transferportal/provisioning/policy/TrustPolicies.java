package io.transferportal.provisioning.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

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

	private static final Map<String, String> CONTEXT_KEYS = Map.of("aws:sourceaccount", "account", "aws:sourcearn",
			"arn");

	private TrustPolicies() {
	}

	/**
	 * Why Transfer cannot assume the role for this user; empty when a statement allows it
	 * and no Deny stops it.
	 * @param accountId the account the user is in
	 * @param userArn the Transfer user's ARN
	 */
	public static Optional<String> whyNotAssumableFor(IamPolicy trust, String accountId, String userArn) {
		Map<String, String> context = Map.of("account", accountId, "arn", userArn);
		List<String> unproven = new ArrayList<>();
		boolean allowed = false;
		for (IamStatement statement : trust.statements()) {
			if (!namesTransfer(statement)) {
				continue;
			}
			Evaluation evaluation = evaluate(statement.conditions(), context);
			if (IamEffect.DENY.equals(statement.effect()) && evaluation == Evaluation.MATCHES) {
				return Optional.of("its trust policy denies " + TRANSFER + " " + ASSUME_ROLE + label(statement));
			}
			if (IamEffect.ALLOW.equals(statement.effect())) {
				if (evaluation == Evaluation.MATCHES) {
					allowed = true;
				}
				else {
					unproven.add(label(statement).trim() + ((evaluation == Evaluation.UNKNOWN)
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
			.anyMatch((action) -> glob(action.value(), Pattern.CASE_INSENSITIVE).matcher(ASSUME_ROLE).matches());
		return principal && assumeRole;
	}

	private static boolean isTransferOrEveryone(IamPrincipal principal) {
		return IamPrincipal.ALL.equals(principal)
				|| (principal.type().equals(IamPrincipalType.SERVICE) && TRANSFER.equals(principal.id()))
				|| (principal.type().equals(IamPrincipalType.AWS) && "*".equals(principal.id()));
	}

	/**
	 * Conditions are ANDed across operator and key; the values of one operator and key
	 * are ORed (the policy builder gives one {@link IamCondition} per value).
	 */
	private static Evaluation evaluate(List<IamCondition> conditions, Map<String, String> context) {
		Map<String, List<IamCondition>> groups = new LinkedHashMap<>();
		for (IamCondition condition : conditions) {
			groups
				.computeIfAbsent(condition.operator().value() + " " + condition.key().value(), (k) -> new ArrayList<>())
				.add(condition);
		}
		Evaluation result = Evaluation.MATCHES;
		for (List<IamCondition> group : groups.values()) {
			Evaluation one = evaluateGroup(group, context);
			if (one == Evaluation.EXCLUDES) {
				return Evaluation.EXCLUDES;
			}
			if (one == Evaluation.UNKNOWN) {
				result = Evaluation.UNKNOWN;
			}
		}
		return result;
	}

	private static Evaluation evaluateGroup(List<IamCondition> group, Map<String, String> context) {
		IamCondition first = group.get(0);
		String contextKey = CONTEXT_KEYS.get(first.key().value().toLowerCase(Locale.ROOT));
		String operator = first.operator().value();
		if (operator.endsWith("IfExists")) {
			// Transfer always sends both keys, so IfExists changes nothing
			operator = operator.substring(0, operator.length() - "IfExists".length());
		}
		if (contextKey == null) {
			return Evaluation.UNKNOWN;
		}
		String value = context.get(contextKey);
		boolean wildcards;
		boolean negated = false;
		switch (operator) {
			case "StringEquals", "ArnEquals" -> wildcards = false;
			case "StringLike", "ArnLike" -> wildcards = true;
			case "StringNotEquals", "ArnNotEquals" -> {
				wildcards = false;
				negated = true;
			}
			case "StringNotLike", "ArnNotLike" -> {
				wildcards = true;
				negated = true;
			}
			default -> {
				return Evaluation.UNKNOWN;
			}
		}
		boolean wildcard = wildcards;
		boolean any = group.stream()
			.anyMatch((condition) -> wildcard ? glob(condition.value(), 0).matcher(value).matches()
					: condition.value().equals(value));
		// a negated operator matches when no value does
		return (any != negated) ? Evaluation.MATCHES : Evaluation.EXCLUDES;
	}

	/**
	 * IAM's wildcards: {@code *} any run of characters, {@code ?} one; condition values
	 * are case-sensitive, action names are not.
	 */
	private static Pattern glob(String pattern, int flags) {
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), flags);
	}

	private static String label(IamStatement statement) {
		return (statement.sid() != null) ? " (statement " + statement.sid() + ")" : " (a statement without Sid)";
	}

	private enum Evaluation {

		MATCHES, EXCLUDES, UNKNOWN

	}

}
