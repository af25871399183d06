package io.transferportal.provisioning.s3;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import io.transferportal.provisioning.policy.Conditions;
import io.transferportal.provisioning.policy.Policies;

/**
 * Finds the bucket-policy statements that can deny a Transfer Family user's uploads or
 * downloads once the bucket is SSE-KMS: a Deny on {@code s3:PutObject} or
 * {@code s3:GetObject} conditioned on the encryption header, on a VPC endpoint or VPC, or
 * on the source IP.
 * <p>
 * "AWS Transfer for SFTP uses the default encryption options you set for your Amazon S3
 * bucket to encrypt your data"
 * (https://docs.aws.amazon.com/transfer/latest/userguide/encryption-at-rest.html):
 * Transfer sends no encryption header of its own, so the common guard "deny PutObject
 * unless the request asks for SSE-KMS" (or one pinning AES256) denies every Transfer
 * upload. Transfer reaches S3 from the AWS network, not through the customer's VPC
 * endpoints or IP ranges, so network conditions may deny it too. These are warnings, not
 * refusals: the statement may exempt the role in ways a reading cannot judge (principal
 * conditions, {@code NotPrincipal}).
 */
final class BucketPolicyWarnings {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> ACTIONS = List.of("s3:PutObject", "s3:GetObject");

	private static final Set<String> ENCRYPTION_KEYS = Set.of("s3:x-amz-server-side-encryption",
			"s3:x-amz-server-side-encryption-aws-kms-key-id");

	private static final String ALGORITHM_KEY = "s3:x-amz-server-side-encryption";

	private static final Set<String> NETWORK_KEYS = Set.of("aws:sourcevpce", "aws:sourcevpc", "aws:sourceip");

	/** When S3 denies the portal GetBucketPolicy. */
	static final String UNREADABLE = "The portal may not read the bucket policy (s3:GetBucketPolicy), so it could not "
			+ "check it for statements that deny Transfer Family uploads; check it by hand.";

	private BucketPolicyWarnings() {
	}

	/**
	 * One warning per statement that may deny Transfer's requests, quoting its Sid.
	 * @param policy the bucket policy as S3 returns it, {@code null} for none
	 */
	static List<String> of(@Nullable String policy) {
		if (policy == null || policy.isBlank()) {
			return List.of();
		}
		IamPolicy parsed;
		try {
			parsed = Policies.parse(stringConditionValues(policy));
		}
		catch (UncheckedIOException | JacksonException | IllegalArgumentException ex) {
			return List.of("The bucket policy could not be read as a policy document, so the portal could not check "
					+ "it for statements that deny Transfer Family uploads; check it by hand.");
		}
		List<String> warnings = new ArrayList<>();
		List<IamStatement> statements = parsed.statements();
		for (int i = 0; i < statements.size(); i++) {
			String warning = warning(statements.get(i), i + 1);
			if (warning != null) {
				warnings.add(warning);
			}
		}
		return warnings;
	}

	private static @Nullable String warning(IamStatement statement, int number) {
		if (!IamEffect.DENY.equals(statement.effect())) {
			return null;
		}
		List<String> denied = ACTIONS.stream().filter((action) -> denies(statement, action)).toList();
		if (denied.isEmpty()) {
			return null;
		}
		Set<String> keys = new LinkedHashSet<>();
		Set<String> reasons = new LinkedHashSet<>();
		for (IamCondition condition : statement.conditions()) {
			String key = condition.key().value();
			String lower = key.toLowerCase(Locale.ROOT);
			if (ENCRYPTION_KEYS.contains(lower)) {
				keys.add(key);
				reasons.add("Transfer Family sends no encryption header: it relies on the bucket's default encryption");
				if (ALGORITHM_KEY.equals(lower) && !"aws:kms".equals(condition.value())
						&& !"null".equalsIgnoreCase(condition.operator().value())) {
					reasons.add("the statement names the algorithm " + condition.value()
							+ " while the bucket's default becomes aws:kms");
				}
			}
			else if (NETWORK_KEYS.contains(lower)) {
				keys.add(key);
				reasons.add("Transfer Family reaches S3 from the AWS network, not from your VPC endpoints, VPCs or "
						+ "IP ranges");
			}
		}
		if (keys.isEmpty()) {
			return null;
		}
		String name = (statement.sid() != null) ? "\"" + statement.sid() + "\"" : number + " (no Sid)";
		return "Bucket policy statement " + name + " denies " + String.join(" and ", denied) + " under conditions on "
				+ String.join(", ", keys) + "; " + String.join(", and ", reasons)
				+ ", so this statement may deny the user's transfers. Exempt the user's role from it or change it "
				+ "before approving.";
	}

	/** Whether a statement's Action or NotAction covers an action, wildcards included. */
	private static boolean denies(IamStatement statement, String action) {
		if (!statement.notActions().isEmpty()) {
			return statement.notActions()
				.stream()
				.noneMatch((pattern) -> Conditions.actionMatches(pattern.value(), action));
		}
		return statement.actions().stream().anyMatch((pattern) -> Conditions.actionMatches(pattern.value(), action));
	}

	/**
	 * S3 keeps a policy as written, and a {@code Null} condition on
	 * {@code s3:x-amz-server-side-encryption} with the JSON boolean true is a common
	 * spelling; the policy builder silently drops condition values that are not strings,
	 * so they are turned into strings first.
	 */
	private static String stringConditionValues(String policy) {
		JsonNode root = JSON.readTree(policy);
		JsonNode statements = root.path("Statement");
		for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
			for (JsonNode operator : statement.path("Condition")) {
				if (operator instanceof ObjectNode keys) {
					for (String key : List.copyOf(keys.propertyNames())) {
						JsonNode value = keys.get(key);
						if (value.isValueNode() && !value.isString()) {
							keys.put(key, value.asString());
						}
						else if (value.isArray()) {
							List<String> texts = new ArrayList<>();
							value.forEach((item) -> texts.add(item.asString()));
							ArrayNode strings = keys.putArray(key);
							texts.forEach(strings::add);
						}
					}
				}
			}
		}
		return JSON.writeValueAsString(root);
	}

}
