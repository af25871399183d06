package io.transferportal.provisioning.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.AwsProperties;
import io.transferportal.provisioning.core.ProvisioningProperties;

/**
 * The rules a request must meet before the portal makes any AWS call. AWS validates most
 * of these only on its side, and the Java SDK not at all, so the portal checks them
 * itself and names every failing field.
 */
@Component
public class UserSpecValidator {

	/** Tag keys starting with this prefix are set by the portal itself. */
	public static final String RESERVED_TAG_PREFIX = "transfer-portal:";

	/** Tags the portal adds to every user and role, counted against AWS's limit of 50. */
	public static final int RESERVED_TAG_COUNT = 3;

	private static final Pattern SERVER_ID = Pattern.compile("s-[0-9a-f]{17}");

	private static final Pattern USER_NAME = Pattern.compile("[\\w][\\w@.-]{2,99}");

	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern PREFIX_SEGMENT = Pattern.compile("[A-Za-z0-9._@=+-]+");

	private static final Pattern KEY_ARN = Pattern.compile(
			"arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\\d{12}):key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

	private static final Pattern ROLE_ARN = Pattern
		.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/([\\x21-\\x7E]*/)?[\\w+=,.@-]{1,64}");

	private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

	private final String region;

	private final ProvisioningProperties properties;

	UserSpecValidator(AwsProperties aws, ProvisioningProperties properties) {
		this.region = aws.region();
		this.properties = properties;
	}

	/** Every rule the request breaks; empty when it is valid. Makes no AWS call. */
	public List<FieldViolation> validate(UserSpec spec) {
		return validate(spec, true);
	}

	/**
	 * Every rule the settings break. A request needs an SSH key; the settings of a user
	 * the portal suspended (its access expired, say) have none, and AWS allows a
	 * service-managed user without keys (it cannot sign in).
	 * @param keysRequired whether at least one SSH key is required
	 */
	public List<FieldViolation> validate(UserSpec spec, boolean keysRequired) {
		List<FieldViolation> violations = new ArrayList<>();
		checkServerId(spec.serverId(), violations);
		checkUserName(spec.userName(), violations);
		checkBucket(spec.bucket(), violations);
		checkHomePrefix(spec, violations);
		checkKeyArn(spec.kmsKeyArn(), violations);
		checkSshKeys(spec.sshPublicKeys(), keysRequired, violations);
		checkRoleArn(spec.roleArn(), violations);
		checkTags(spec.tags(), violations);
		return violations;
	}

	private void checkServerId(String serverId, List<FieldViolation> violations) {
		if (serverId.isEmpty()) {
			violations.add(new FieldViolation("serverId", "is required"));
		}
		else if (!SERVER_ID.matcher(serverId).matches()) {
			violations.add(new FieldViolation("serverId", "must be 's-' followed by 17 lower-case hex digits"));
		}
	}

	private void checkUserName(String userName, List<FieldViolation> violations) {
		if (userName.isEmpty()) {
			violations.add(new FieldViolation("userName", "is required"));
		}
		else if (userName.length() < 3 || userName.length() > 100) {
			violations.add(new FieldViolation("userName", "must be 3 to 100 characters long"));
		}
		else if (!USER_NAME.matcher(userName).matches()) {
			violations.add(new FieldViolation("userName",
					"may contain only letters, digits, '_', '-', '.' and '@', and must not start with '-', '.' or '@'"));
		}
		else if (userName.equalsIgnoreCase("root")) {
			violations.add(new FieldViolation("userName", "'root' is blocked by AWS Transfer"));
		}
	}

	private void checkBucket(String bucket, List<FieldViolation> violations) {
		String problem = bucketProblem(bucket);
		if (problem != null) {
			violations.add(new FieldViolation("bucket", problem));
		}
	}

	private static String bucketProblem(String bucket) {
		if (bucket.isEmpty()) {
			return "is required";
		}
		if (bucket.length() < 3 || bucket.length() > 63) {
			return "must be 3 to 63 characters long";
		}
		if (!BUCKET.matcher(bucket).matches()) {
			return "may contain only lower-case letters, digits, '.' and '-', and must start and end with a letter or digit";
		}
		if (bucket.contains("..") || bucket.contains(".-") || bucket.contains("-.")) {
			return "must not contain '..', '.-' or '-.'";
		}
		if (IP_ADDRESS.matcher(bucket).matches()) {
			return "must not look like an IP address";
		}
		for (String prefix : List.of("xn--", "sthree-", "amzn-s3-demo-")) {
			if (bucket.startsWith(prefix)) {
				return "must not start with '" + prefix + "'";
			}
		}
		for (String suffix : List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")) {
			if (bucket.endsWith(suffix)) {
				return "must not end with '" + suffix + "'";
			}
		}
		return null;
	}

	private void checkHomePrefix(UserSpec spec, List<FieldViolation> violations) {
		if (spec.homePrefix() == null) {
			return; // defaults to the user name, checked above
		}
		String prefix = spec.effectiveHomePrefix();
		if (prefix.isEmpty()) {
			violations.add(new FieldViolation("homePrefix", "must name a folder; the bucket root is not allowed"));
			return;
		}
		if (prefix.length() > 512) {
			violations.add(new FieldViolation("homePrefix", "must be at most 512 characters long"));
			return;
		}
		for (String segment : prefix.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				violations.add(new FieldViolation("homePrefix", "must not contain empty, '.' or '..' path segments"));
				return;
			}
			if (!PREFIX_SEGMENT.matcher(segment).matches()) {
				// wildcards and '$' would change the meaning of the generated policies
				violations.add(new FieldViolation("homePrefix",
						"may contain only letters, digits, '/', '_', '-', '.', '@', '=' and '+'"));
				return;
			}
		}
	}

	private void checkKeyArn(String keyArn, List<FieldViolation> violations) {
		if (keyArn.isEmpty()) {
			violations.add(new FieldViolation("kmsKeyArn", "is required"));
			return;
		}
		Matcher matcher = KEY_ARN.matcher(keyArn);
		if (!matcher.matches()) {
			violations.add(new FieldViolation("kmsKeyArn",
					"must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); aliases and bare key ids are not accepted"));
		}
		else if (!matcher.group(2).equals(this.region)) {
			violations.add(new FieldViolation("kmsKeyArn",
					"is in region " + matcher.group(2) + "; the portal manages region " + this.region));
		}
	}

	private void checkSshKeys(List<String> keys, boolean required, List<FieldViolation> violations) {
		if (keys.isEmpty() && required) {
			violations.add(new FieldViolation("sshPublicKeys", "at least one SSH public key is required"));
			return;
		}
		if (keys.size() > this.properties.maxSshKeys()) {
			violations.add(new FieldViolation("sshPublicKeys",
					"at most " + this.properties.maxSshKeys() + " keys are allowed per user"));
		}
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			String field = "sshPublicKeys[" + i + "]";
			try {
				SshPublicKeys.ParsedKey key = SshPublicKeys.parse(keys.get(i), this.properties.minRsaBits());
				Integer first = seen.putIfAbsent(key.fingerprint(), i);
				if (first != null) {
					violations.add(new FieldViolation(field,
							"is the same key as sshPublicKeys[" + first + "] (" + key.fingerprint() + ")"));
				}
			}
			catch (IllegalArgumentException ex) {
				violations.add(new FieldViolation(field, ex.getMessage()));
			}
		}
	}

	private void checkRoleArn(String roleArn, List<FieldViolation> violations) {
		if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
			violations.add(new FieldViolation("roleArn",
					"must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), or empty to create a dedicated role"));
		}
	}

	private void checkTags(Map<String, String> tags, List<FieldViolation> violations) {
		if (tags.size() > 50 - RESERVED_TAG_COUNT) {
			violations.add(new FieldViolation("tags", "at most " + (50 - RESERVED_TAG_COUNT)
					+ " tags are allowed (AWS allows 50; the portal sets " + RESERVED_TAG_COUNT + ")"));
		}
		tags.forEach((key, value) -> {
			String field = "tags[" + key + "]";
			if (key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
				violations
					.add(new FieldViolation(field, "key must be 1 to 128 letters, digits, spaces or _ . : / = + - @"));
			}
			else if (key.toLowerCase(Locale.ROOT).startsWith("aws:") || key.startsWith(RESERVED_TAG_PREFIX)) {
				violations.add(new FieldViolation(field,
						"keys starting with 'aws:' or '" + RESERVED_TAG_PREFIX + "' are reserved"));
			}
			if (value == null || value.length() > 256 || !TAG_TEXT.matcher(value).matches()) {
				violations.add(new FieldViolation(field,
						"value must be at most 256 letters, digits, spaces or _ . : / = + - @"));
			}
		});
	}

}
