package io.transferportal.provisioning.validation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.AwsProperties;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UserSpecValidator}: every rule names the field it applies to.
 */
class UserSpecValidatorTests {

	private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	private final UserSpecValidator validator = new UserSpecValidator(
			new AwsProperties("us-east-1", null, new AwsProperties.MaxConcurrentCalls(8, 8, 16, 8, 2)),
			new ProvisioningProperties("transfer-portal-", "/transfer-portal/", 50, 2048,
					new ProvisioningProperties.Propagation(8, Duration.ofSeconds(1), Duration.ofSeconds(15)), null,
					List.of()));

	@Test
	void acceptsAValidSpec() {
		assertThat(validate(spec())).isEmpty();
	}

	@Test
	void reportsMissingValuesAsRequired() {
		SpecBuilder spec = spec().serverId(null).userName("  ").bucket(null).kmsKeyArn("");
		assertThat(validate(spec)).containsExactly(new FieldViolation("serverId", "is required"),
				new FieldViolation("userName", "is required"), new FieldViolation("bucket", "is required"),
				new FieldViolation("kmsKeyArn", "is required"));
	}

	@Test
	void reportsEveryInvalidFieldAtOnce() {
		SpecBuilder spec = spec().serverId("s-123")
			.userName("root")
			.bucket("Payments")
			.kmsKeyArn("alias/payments")
			.sshPublicKeys(List.of())
			.roleArn("my-role")
			.tags(Map.of("aws:createdBy", "me"));
		assertThat(validate(spec)).extracting(FieldViolation::field)
			.containsExactly("serverId", "userName", "bucket", "kmsKeyArn", "sshPublicKeys", "roleArn",
					"tags[aws:createdBy]");
	}

	@ParameterizedTest
	@ValueSource(strings = { "s-123", "S-0123456789ABCDEF0", "s-0123456789abcdef01", "0123456789abcdef0" })
	void rejectsMalformedServerIds(String serverId) {
		assertThat(validate(spec().serverId(serverId)))
			.containsExactly(new FieldViolation("serverId", "must be 's-' followed by 17 lower-case hex digits"));
	}

	@ParameterizedTest(name = "\"{0}\"")
	@MethodSource("invalidUserNames")
	void rejectsInvalidUserNames(String userName, String message) {
		assertThat(validate(spec().userName(userName))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("userName");
			assertThat(violation.message()).contains(message);
		});
	}

	static Stream<Arguments> invalidUserNames() {
		return Stream.of(Arguments.of("-bad", "must not start with '-'"), Arguments.of("ab", "3 to 100 characters"),
				Arguments.of("a".repeat(101), "3 to 100 characters"), Arguments.of("root", "'root' is blocked"),
				Arguments.of("ROOT", "'root' is blocked"), Arguments.of("bad name", "may contain only letters"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "bob", "alice.smith-1@example.com", "svc_payments" })
	void acceptsUserNamesAwsTransferAllows(String userName) {
		assertThat(validate(spec().userName(userName))).isEmpty();
	}

	@ParameterizedTest(name = "\"{0}\"")
	@MethodSource("invalidBuckets")
	void rejectsInvalidBucketNames(String bucket, String message) {
		assertThat(validate(spec().bucket(bucket))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("bucket");
			assertThat(violation.message()).contains(message);
		});
	}

	static Stream<Arguments> invalidBuckets() {
		return Stream.of(Arguments.of("Payments-Inbox", "only lower-case letters"),
				Arguments.of("payments_inbox", "only lower-case letters"),
				Arguments.of("192.168.1.1", "must not look like an IP address"),
				Arguments.of("a..b", "must not contain '..'"),
				Arguments.of("xn--payments", "must not start with 'xn--'"),
				Arguments.of("payments-s3alias", "must not end with '-s3alias'"),
				Arguments.of("ab", "3 to 63 characters"), Arguments.of("a".repeat(64), "3 to 63 characters"));
	}

	@ParameterizedTest(name = "\"{0}\"")
	@MethodSource("invalidHomePrefixes")
	void rejectsHomePrefixesThatWouldEscapeOrWidenTheHomeFolder(String homePrefix, String message) {
		assertThat(validate(spec().homePrefix(homePrefix))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("homePrefix");
			assertThat(violation.message()).contains(message);
		});
	}

	static Stream<Arguments> invalidHomePrefixes() {
		return Stream.of(Arguments.of("../etc", "'.' or '..' path segments"),
				Arguments.of("a//b", "must not contain empty"), Arguments.of("a/*", "may contain only letters"),
				Arguments.of("${transfer:UserName}", "may contain only letters"),
				Arguments.of("/", "the bucket root is not allowed"));
	}

	@Test
	void acceptsNestedHomePrefixWithSurroundingSlashes() {
		assertThat(validate(spec().homePrefix("/partners/acme-corp/inbox/"))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "arn:aws:kms:us-east-1:123456789012:alias/payments",
			"1234abcd-12ab-34cd-56ef-1234567890ab", "alias/payments" })
	void rejectsKeyAliasesAndBareKeyIds(String keyArn) {
		assertThat(validate(spec().kmsKeyArn(keyArn))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("kmsKeyArn");
			assertThat(violation.message()).contains("must be a full KMS key ARN")
				.contains("aliases and bare key ids are not accepted");
		});
	}

	@Test
	void rejectsKeyFromAnotherRegionNamingBothRegions() {
		String keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
		assertThat(validate(spec().kmsKeyArn(keyArn))).containsExactly(
				new FieldViolation("kmsKeyArn", "is in region eu-west-1; the portal manages region us-east-1"));
	}

	@Test
	void acceptsMultiRegionKey() {
		String keyArn = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
		assertThat(validate(spec().kmsKeyArn(keyArn))).isEmpty();
	}

	@Test
	void requiresAtLeastOneSshKey() {
		assertThat(validate(spec().sshPublicKeys(List.of())))
			.containsExactly(new FieldViolation("sshPublicKeys", "at least one SSH public key is required"));
	}

	@Test
	void reportsEachInvalidKeyUnderItsIndexWithTheParserMessage() {
		List<FieldViolation> violations = validate(
				spec().sshPublicKeys(List.of(TestKeys.ED25519_A, TestKeys.RSA_1024, TestKeys.PRIVATE_KEY)));
		assertThat(violations).extracting(FieldViolation::field)
			.containsExactly("sshPublicKeys[1]", "sshPublicKeys[2]");
		assertThat(violations.get(0).message()).isEqualTo("is a 1024-bit RSA key; at least 2048 bits are required");
		assertThat(violations.get(1).message()).startsWith("is a private key");
	}

	@Test
	void reportsADuplicateKeyAgainstItsFirstOccurrenceEvenWithAnotherComment() {
		String sameKeyOtherComment = TestKeys.ED25519_A.replace("alice@laptop", "alice@desktop");
		assertThat(validate(spec().sshPublicKeys(List.of(TestKeys.ED25519_A, sameKeyOtherComment)))).singleElement()
			.satisfies((violation) -> {
				assertThat(violation.field()).isEqualTo("sshPublicKeys[1]");
				assertThat(violation.message()).contains("same key as sshPublicKeys[0]")
					.contains("SHA256:AXGyw7i5raiw5/lrlkVw+X+Ix0Ygagdgp30jyUZ3saU");
			});
	}

	@Test
	void acceptsFiftyKeysButNotFiftyOne() {
		List<String> keys = new ArrayList<>(
				IntStream.range(0, 50).mapToObj((i) -> TestKeys.newEcdsaKey("key" + i)).toList());
		assertThat(validate(spec().sshPublicKeys(keys))).isEmpty();
		keys.add(TestKeys.newEcdsaKey("key50"));
		assertThat(validate(spec().sshPublicKeys(keys)))
			.containsExactly(new FieldViolation("sshPublicKeys", "at most 50 keys are allowed per user"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "my-role", "arn:aws:iam::123456789012:user/alice", "arn:aws:iam::12345:role/transfer",
			"arn:aws:s3:::payments-inbox" })
	void rejectsRoleArnsThatAreNotIamRoles(String roleArn) {
		assertThat(validate(spec().roleArn(roleArn))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("roleArn");
			assertThat(violation.message()).contains("must be an IAM role ARN");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "arn:aws:iam::123456789012:role/transfer-role",
			"arn:aws:iam::123456789012:role/service/transfer-role" })
	void acceptsExistingRoleArnsWithOrWithoutPath(String roleArn) {
		assertThat(validate(spec().roleArn(roleArn))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "aws:x", "AWS:cloudformation:stack-name", "transfer-portal:owner" })
	void rejectsReservedTagKeys(String key) {
		assertThat(validate(spec().tags(Map.of(key, "value")))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("tags[" + key + "]");
			assertThat(violation.message()).contains("are reserved");
		});
	}

	@Test
	void acceptsTagValuesUpTo256CharactersOnly() {
		assertThat(validate(spec().tags(Map.of("note", "v".repeat(256))))).isEmpty();
		assertThat(validate(spec().tags(Map.of("note", "v".repeat(257))))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("tags[note]");
			assertThat(violation.message()).contains("value must be at most 256");
		});
	}

	@Test
	void leavesRoomForThePortalsOwnTags() {
		assertThat(validate(spec().tags(tags(47)))).isEmpty();
		assertThat(validate(spec().tags(tags(48)))).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("tags");
			assertThat(violation.message()).contains("at most 47 tags");
		});
	}

	private List<FieldViolation> validate(SpecBuilder spec) {
		return this.validator.validate(spec.build());
	}

	private static Map<String, String> tags(int count) {
		Map<String, String> tags = new LinkedHashMap<>();
		IntStream.range(0, count).forEach((i) -> tags.put("tag" + i, "value" + i));
		return tags;
	}

	private static SpecBuilder spec() {
		return new SpecBuilder();
	}

	/** A valid spec to start from; each test changes only what it is about. */
	private static final class SpecBuilder {

		private String serverId = "s-0123456789abcdef0";

		private String userName = "alice";

		private String bucket = "payments-inbox";

		private String homePrefix;

		private String kmsKeyArn = KEY_ARN;

		private List<String> sshPublicKeys = List.of(TestKeys.ED25519_A);

		private String roleArn;

		private Map<String, String> tags = Map.of("team", "payments");

		SpecBuilder serverId(String serverId) {
			this.serverId = serverId;
			return this;
		}

		SpecBuilder userName(String userName) {
			this.userName = userName;
			return this;
		}

		SpecBuilder bucket(String bucket) {
			this.bucket = bucket;
			return this;
		}

		SpecBuilder homePrefix(String homePrefix) {
			this.homePrefix = homePrefix;
			return this;
		}

		SpecBuilder kmsKeyArn(String kmsKeyArn) {
			this.kmsKeyArn = kmsKeyArn;
			return this;
		}

		SpecBuilder sshPublicKeys(List<String> sshPublicKeys) {
			this.sshPublicKeys = sshPublicKeys;
			return this;
		}

		SpecBuilder roleArn(String roleArn) {
			this.roleArn = roleArn;
			return this;
		}

		SpecBuilder tags(Map<String, String> tags) {
			this.tags = tags;
			return this;
		}

		UserSpec build() {
			return new UserSpec(this.serverId, this.userName, this.bucket, this.homePrefix, this.kmsKeyArn,
					this.sshPublicKeys, AccessLevel.READ_WRITE, this.roleArn, this.tags);
		}

	}

}
