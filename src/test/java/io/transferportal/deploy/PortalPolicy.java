package io.transferportal.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import io.transferportal.provisioning.policy.Policies;

/**
 * The portal's own IAM policy, {@code deploy/iam/portal-policy.json}: a template with
 * {@code ${partition}}, {@code ${region}}, {@code ${account_id}}, {@code ${role_path}}
 * and {@code ${permissions_boundary_arn}} (the names the Terraform module passes to
 * {@code templatefile}), rendered here for the tests.
 */
final class PortalPolicy {

	static final Path FILE = Path.of("deploy", "iam", "portal-policy.json");

	static final List<String> VARIABLES = List.of("partition", "region", "account_id", "role_path",
			"permissions_boundary_arn");

	/**
	 * What the portal needs on existing roles of one path
	 * ({@code portal.provisioning.existing-role-paths}): a template with
	 * {@code ${partition}}, {@code ${account_id}} and {@code ${existing_role_path}}.
	 */
	static final Path EXISTING_ROLES_FILE = Path.of("deploy", "iam", "portal-existing-roles-policy.json");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)}");

	private PortalPolicy() {
	}

	static String template() {
		return template(FILE);
	}

	private static String template(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The variables the template uses, in order of first use. */
	static List<String> variablesUsed() {
		List<String> used = new ArrayList<>();
		Matcher matcher = VARIABLE.matcher(template());
		while (matcher.find()) {
			if (!used.contains(matcher.group(1))) {
				used.add(matcher.group(1));
			}
		}
		return used;
	}

	/** The policy for one account, region, role path and boundary. */
	static IamPolicy render(String region, String accountId, String rolePath, String boundaryArn) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("partition", "aws");
		values.put("region", region);
		values.put("account_id", accountId);
		values.put("role_path", rolePath);
		values.put("permissions_boundary_arn", boundaryArn);
		return render(FILE, values);
	}

	/** The policy for the existing roles of one account and path. */
	static IamPolicy renderExistingRoles(String accountId, String existingRolePath) {
		return render(EXISTING_ROLES_FILE,
				Map.of("partition", "aws", "account_id", accountId, "existing_role_path", existingRolePath));
	}

	private static IamPolicy render(Path file, Map<String, String> values) {
		Matcher matcher = VARIABLE.matcher(template(file));
		StringBuilder rendered = new StringBuilder();
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			if (value == null) {
				throw new IllegalStateException("Unknown variable ${" + matcher.group(1) + "} in " + file);
			}
			matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(rendered);
		return Policies.parse(rendered.toString());
	}

	/** The allowed actions, lower case, of every Allow statement. */
	static List<String> allowedActions(IamPolicy policy) {
		return policy.statements()
			.stream()
			.filter((statement) -> "Allow".equalsIgnoreCase(statement.effect().value()))
			.flatMap((statement) -> statement.actions().stream())
			.map((action) -> action.value().toLowerCase(java.util.Locale.ROOT))
			.distinct()
			.sorted()
			.toList();
	}

	/** The statement with this Sid. */
	static IamStatement statement(IamPolicy policy, String sid) {
		return policy.statements()
			.stream()
			.filter((statement) -> sid.equals(statement.sid()))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No statement " + sid + " in " + FILE));
	}

	/** The policy without the statement with this Sid. */
	static IamPolicy without(IamPolicy policy, String sid) {
		IamStatement removed = statement(policy, sid);
		return policy.toBuilder()
			.statements(policy.statements().stream().filter((statement) -> statement != removed).toList())
			.build();
	}

}
