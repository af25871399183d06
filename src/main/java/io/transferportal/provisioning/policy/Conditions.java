package io.transferportal.provisioning.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.policybuilder.iam.IamCondition;

/**
 * IAM's matching and condition operators, as far as the portal evaluates them: the String
 * and ARN operators on context keys whose value is known for every request in question
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Anything else is {@link Truth#MAYBE}: the portal does not guess.
 */
public final class Conditions {

	private Conditions() {
	}

	/**
	 * Whether a statement's conditions hold. Conditions are ANDed; the values of one
	 * operator and key are ORed (the policy builder lists them one by one).
	 * @param context the value of a context key (given in lower case) for the requests in
	 * question, {@code null} where the portal does not know it
	 */
	public static Truth hold(List<IamCondition> conditions, Function<String, @Nullable String> context) {
		Map<String, List<IamCondition>> blocks = new LinkedHashMap<>();
		for (IamCondition condition : conditions) {
			blocks
				.computeIfAbsent(condition.operator().value() + "\u0000" + condition.key().value(),
						(key) -> new ArrayList<>())
				.add(condition);
		}
		Truth result = Truth.YES;
		for (List<IamCondition> block : blocks.values()) {
			Truth truth = holds(block, context);
			if (truth == Truth.NO) {
				return Truth.NO;
			}
			if (truth == Truth.MAYBE) {
				result = Truth.MAYBE;
			}
		}
		return result;
	}

	private static Truth holds(List<IamCondition> block, Function<String, @Nullable String> context) {
		String operator = block.get(0).operator().value();
		String value = context.apply(block.get(0).key().value().toLowerCase(Locale.ROOT));
		if (value == null || operator.contains(":")) {
			// an unknown key, or a set operator (ForAnyValue:, ForAllValues:)
			return Truth.MAYBE;
		}
		// the keys the portal knows are always present, so ...IfExists means the same
		String base = operator.endsWith("IfExists") ? operator.substring(0, operator.length() - 8) : operator;
		boolean negated = base.contains("Not");
		String positive = base.replace("Not", "");
		Boolean anyMatches = switch (positive) {
			case "StringEquals" -> block.stream().anyMatch((condition) -> condition.value().equals(value));
			case "StringEqualsIgnoreCase" ->
				block.stream().anyMatch((condition) -> condition.value().equalsIgnoreCase(value));
			case "StringLike" -> block.stream().anyMatch((condition) -> matches(condition.value(), value));
			case "ArnEquals", "ArnLike" -> block.stream().anyMatch((condition) -> arnMatches(condition.value(), value));
			default -> null;
		};
		if (anyMatches == null) {
			return Truth.MAYBE;
		}
		return (anyMatches != negated) ? Truth.YES : Truth.NO;
	}

	/**
	 * ARN matching as the ARN condition operators and resource elements do it: each of
	 * the six colon-separated parts on its own, with {@code *} and {@code ?} wildcards.
	 */
	public static boolean arnMatches(String pattern, String arn) {
		if (pattern.equals("*")) {
			return true;
		}
		String[] patternParts = pattern.split(":", 6);
		String[] arnParts = arn.split(":", 6);
		if (patternParts.length != arnParts.length) {
			return false;
		}
		for (int i = 0; i < patternParts.length; i++) {
			if (!matches(patternParts[i], arnParts[i])) {
				return false;
			}
		}
		return true;
	}

	/** Case-sensitive matching with {@code *} and {@code ?}, as StringLike does it. */
	public static boolean matches(String pattern, String value) {
		return wildcards(pattern, 0).matcher(value).matches();
	}

	/** IAM action matching: case-insensitive, with {@code *} and {@code ?} wildcards. */
	public static boolean actionMatches(String pattern, String action) {
		return wildcards(pattern, Pattern.CASE_INSENSITIVE).matcher(action).matches();
	}

	private static Pattern wildcards(String pattern, int flags) {
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
	}

	/** What the portal can tell. */
	public enum Truth {

		YES, NO, MAYBE

	}

}
