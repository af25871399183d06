package io.transferportal.provisioning.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriUtils;
import software.amazon.awssdk.policybuilder.iam.IamAction;
import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPolicyWriter;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

/**
 * Parsing, normalizing and comparing IAM policy documents by meaning rather than by text:
 * the order of actions, principals, resources, conditions and statements, whitespace, and
 * scalar-versus-list spelling do not count.
 */
public final class Policies {

	private static final IamPolicyWriter PRETTY = IamPolicyWriter.builder().prettyPrint(true).build();

	private Policies() {
	}

	public static IamPolicy parse(String json) {
		return IamPolicy.fromJson(json);
	}

	/**
	 * Parses a document as IAM returns it from {@code GetRole}/{@code GetRolePolicy}:
	 * URL-encoded (RFC 3986).
	 */
	public static IamPolicy parseUrlEncoded(String encoded) {
		// RFC 3986 percent-decoding: unlike form decoding, a literal '+' stays a '+'
		String json = encoded.stripLeading().startsWith("{") ? encoded
				: UriUtils.decode(encoded, StandardCharsets.UTF_8);
		return parse(json);
	}

	/**
	 * The policy with every list inside each statement sorted; statement order is kept
	 * (it reads better).
	 */
	public static IamPolicy normalize(IamPolicy policy) {
		return policy
			.copy((builder) -> builder.statements(policy.statements().stream().map(Policies::normalize).toList()));
	}

	public static IamStatement normalize(IamStatement statement) {
		return statement.copy((builder) -> builder.principals(sortedPrincipals(statement.principals()))
			.notPrincipals(sortedPrincipals(statement.notPrincipals()))
			.actions(sorted(statement.actions(), (action) -> action.value()))
			.notActions(sorted(statement.notActions(), (action) -> action.value()))
			.resources(sorted(statement.resources(), (resource) -> resource.value()))
			.notResources(sorted(statement.notResources(), (resource) -> resource.value()))
			.conditions(sorted(statement.conditions(), Policies::conditionKey)));
	}

	/**
	 * Whether two policies grant and deny the same things (same version and the same set
	 * of statements).
	 */
	public static boolean sameMeaning(@Nullable IamPolicy a, @Nullable IamPolicy b) {
		if (a == null || b == null) {
			return a == b;
		}
		return versionOf(a).equals(versionOf(b)) && statementSet(a).equals(statementSet(b));
	}

	/** Human-readable pretty JSON, normalized so that diffs show real changes only. */
	public static String pretty(IamPolicy policy) {
		return normalize(policy).toJson(PRETTY);
	}

	/**
	 * Pretty JSON exactly as parsed, for documents the portal edits only in part (key
	 * policies): statements it does not own are shown, and written back, as they were.
	 */
	public static String prettyAsIs(IamPolicy policy) {
		return policy.toJson(PRETTY);
	}

	/** Compact JSON, as sent to AWS (size limits count these characters). */
	public static String compact(IamPolicy policy) {
		return normalize(policy).toJson();
	}

	/**
	 * IAM quota size: "IAM does not count white space when calculating the size of a
	 * policy".
	 */
	public static int nonWhitespaceLength(String json) {
		return (int) json.chars().filter((c) -> !Character.isWhitespace(c)).count();
	}

	/**
	 * Describes in words how the live document {@code current} differs from the approved
	 * {@code desired}, as observed: which statements it lacks, which it has that were not
	 * approved. For a check's detail, where the plan's wording (missing, repair) would
	 * describe the fix rather than the state.
	 */
	public static String describeObserved(IamPolicy current, IamPolicy desired) {
		Set<String> now = statementSet(current);
		Set<String> wanted = statementSet(desired);
		List<String> parts = new ArrayList<>();
		desired.statements()
			.stream()
			.filter((statement) -> !now.contains(statementJson(statement)))
			.forEach((statement) -> parts.add("lacks the statement " + describe(statement)));
		current.statements()
			.stream()
			.filter((statement) -> !wanted.contains(statementJson(statement)))
			.forEach((statement) -> parts.add("has the statement " + describe(statement) + ", which was not approved"));
		if (!versionOf(current).equals(versionOf(desired))) {
			parts.add("is version " + versionOf(current) + ", not " + versionOf(desired));
		}
		return parts.isEmpty() ? "is as approved" : String.join("; ", parts);
	}

	/**
	 * Describes in words what {@code desired} adds to and removes from {@code current},
	 * by statement.
	 */
	public static String describeDifference(IamPolicy current, IamPolicy desired) {
		Set<String> now = statementSet(current);
		Set<String> wanted = statementSet(desired);
		List<String> parts = new ArrayList<>();
		List<String> missing = desired.statements()
			.stream()
			.filter((statement) -> !now.contains(statementJson(statement)))
			.map(Policies::describe)
			.toList();
		List<String> unexpected = current.statements()
			.stream()
			.filter((statement) -> !wanted.contains(statementJson(statement)))
			.map(Policies::describe)
			.toList();
		if (!missing.isEmpty()) {
			parts.add("missing " + String.join("; ", missing));
		}
		if (!unexpected.isEmpty()) {
			parts.add("unexpected " + String.join("; ", unexpected));
		}
		if (!versionOf(current).equals(versionOf(desired))) {
			parts.add("version " + versionOf(current) + " instead of " + versionOf(desired));
		}
		return parts.isEmpty() ? "no difference" : String.join("; ", parts);
	}

	/**
	 * One statement in words: {@code Allow kms:Decrypt, kms:Encrypt on arn:... (sid X)}.
	 */
	public static String describe(IamStatement statement) {
		StringBuilder text = new StringBuilder();
		text.append(statement.effect().value())
			.append(' ')
			.append(String.join(", ", statement.actions().stream().map((action) -> action.value()).toList()));
		if (!statement.resources().isEmpty()) {
			text.append(" on ")
				.append(String.join(", ", statement.resources().stream().map((resource) -> resource.value()).toList()));
		}
		if (statement.sid() != null) {
			text.append(" (").append(statement.sid()).append(')');
		}
		return text.toString();
	}

	private static Set<String> statementSet(IamPolicy policy) {
		Set<String> statements = new LinkedHashSet<>();
		policy.statements().forEach((statement) -> statements.add(statementJson(statement)));
		return statements;
	}

	private static String statementJson(IamStatement statement) {
		// a one-statement policy is a stable text form of a normalized statement; action
		// names are case-insensitive in IAM ("kms:decrypt" is "kms:Decrypt"), so they are
		// compared in lower case
		IamStatement caseless = statement.copy((builder) -> builder.actionIds(lowerCase(statement.actions()))
			.notActionIds(lowerCase(statement.notActions())));
		return IamPolicy.builder().version("2012-10-17").addStatement(normalize(caseless)).build().toJson();
	}

	private static List<String> lowerCase(List<IamAction> actions) {
		return actions.stream().map((action) -> action.value().toLowerCase(Locale.ROOT)).toList();
	}

	private static String versionOf(IamPolicy policy) {
		return (policy.version() != null) ? policy.version() : "2012-10-17";
	}

	private static List<IamPrincipal> sortedPrincipals(List<IamPrincipal> principals) {
		return sorted(principals, (principal) -> principal.type().value() + "\u0000" + principal.id());
	}

	private static String conditionKey(IamCondition condition) {
		return condition.operator().value() + "\u0000" + condition.key().value() + "\u0000" + condition.value();
	}

	private static <T> List<T> sorted(List<T> values, Function<T, String> key) {
		// de-duplicates too: listing a principal or action twice means the same as once
		List<T> result = new ArrayList<>();
		Set<String> seen = new LinkedHashSet<>();
		values.stream().sorted(Comparator.comparing(key)).forEach((value) -> {
			if (seen.add(key.apply(value))) {
				result.add(value);
			}
		});
		return result;
	}

}
