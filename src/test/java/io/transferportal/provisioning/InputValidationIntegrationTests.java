package io.transferportal.provisioning;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.Domain;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.Protocol;

import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input is rejected with a field-level error: format errors before any AWS call,
 * references to things that do not exist or cannot be used after reads only, and never
 * with a write.
 */
@PortalIntegrationTest
class InputValidationIntegrationTests {

	static final String SERVER = "s-0123456789abcdef0";

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	AwsFixtures aws;

	@Autowired
	TransferClient transfer;

	static Stream<Arguments> invalidInputs() {
		return Stream.of(arguments("userName", change((s) -> with(s, "userName", "-alice"))),
				arguments("userName", change((s) -> with(s, "userName", "ab"))),
				arguments("userName", change((s) -> with(s, "userName", "root"))),
				arguments("serverId", change((s) -> with(s, "serverId", "s-123"))),
				arguments("bucket", change((s) -> with(s, "bucket", "Payments_Inbox"))),
				arguments("bucket", change((s) -> with(s, "bucket", "192.168.10.1"))),
				arguments("homePrefix", change((s) -> with(s, "homePrefix", "../other-team"))),
				arguments("homePrefix", change((s) -> with(s, "homePrefix", "home/*"))),
				arguments("kmsKeyArn", change((s) -> with(s, "kmsKeyArn", "alias/transfer"))),
				arguments("kmsKeyArn", change((s) -> with(s, "kmsKeyArn", KEY.replace("us-east-1", "eu-west-1")))),
				arguments("sshPublicKeys[0]", change((s) -> withKeys(s, TestKeys.PRIVATE_KEY))),
				arguments("sshPublicKeys[0]", change((s) -> withKeys(s, TestKeys.PGP_KEY))),
				arguments("sshPublicKeys[0]", change((s) -> withKeys(s, TestKeys.RSA_1024))),
				arguments("sshPublicKeys[0]", change((s) -> withKeys(s, "ssh-ed25519 AAAAnot-a-key"))),
				arguments("sshPublicKeys[1]", change((s) -> withKeys(s, TestKeys.ED25519_A, TestKeys.ED25519_A))),
				arguments("sshPublicKeys", change((s) -> withKeys(s))),
				arguments("roleArn", change((s) -> with(s, "roleArn", "transfer-role"))),
				arguments("tags[aws:owner]", change((s) -> withTags(s, Map.of("aws:owner", "x")))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidInputs")
	void invalidInputIsRejectedWithAFieldErrorBeforeAnyAwsCall(String field, UnaryOperator<UserSpec> change) {
		UserSpec spec = change.apply(valid());
		this.recorder.reset();

		assertThatExceptionOfType(InvalidUserSpecException.class).isThrownBy(() -> this.engine.plan(spec))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(FieldViolation::field).containsExactly(field));
		assertThat(this.recorder.calls()).isEmpty();
	}

	@Test
	void everyInvalidFieldIsReportedAtOnce() {
		UserSpec spec = new UserSpec("", "-x", "B", null, "", List.of(TestKeys.PGP_KEY), null, null, null);
		this.recorder.reset();

		assertThatExceptionOfType(InvalidUserSpecException.class).isThrownBy(() -> this.engine.plan(spec))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(FieldViolation::field)
				.containsExactly("serverId", "userName", "bucket", "kmsKeyArn", "sshPublicKeys[0]"));
		assertThat(this.recorder.calls()).isEmpty();
	}

	@Test
	void unknownBucketAndKeyAreFieldErrorsAndNothingIsWritten() {
		// an unknown server id crashes moto_server's DescribeServer (HTTP 500, KeyError)
		// instead of
		// ResourceNotFoundException; TransferUserTests covers that answer
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		this.recorder.reset();

		assertFieldError(AwsFixtures.spec(server, "alice", "no-such-bucket-here", key, TestKeys.ED25519_A), "bucket",
				"does not exist");
		assertFieldError(AwsFixtures.spec(server, "alice", bucket, KEY, TestKeys.ED25519_A), "kmsKeyArn", "no KMS key");
		assertFieldError(AwsFixtures.spec(server, "alice", bucket, KEY.replace("123456789012", "210987654321"),
				TestKeys.ED25519_A), "kmsKeyArn", "other accounts");
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void serverWithoutSftpOrServiceManagedIdentitiesIsRejectedWithTheReason() {
		String ftpsOnly = this.aws.server(IdentityProviderType.SERVICE_MANAGED, Protocol.FTPS);
		String lambdaIdp = this.aws.server(IdentityProviderType.AWS_LAMBDA, Protocol.SFTP);
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		this.recorder.reset();

		assertFieldError(AwsFixtures.spec(ftpsOnly, "alice", bucket, key, TestKeys.ED25519_A), "serverId",
				"custom identity provider");
		assertFieldError(AwsFixtures.spec(lambdaIdp, "alice", bucket, key, TestKeys.ED25519_A), "serverId",
				"service-managed");
		assertThat(this.recorder.writes()).isEmpty();
	}

	@Test
	void serverStoringOnEfsIsRejectedAndNotOffered() {
		String efs = this.transfer
			.createServer((request) -> request.identityProviderType(IdentityProviderType.SERVICE_MANAGED)
				.protocols(Protocol.SFTP)
				.domain(Domain.EFS))
			.serverId();
		String s3 = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		this.recorder.reset();

		assertFieldError(AwsFixtures.spec(efs, "alice", bucket, key, TestKeys.ED25519_A), "serverId", "Amazon EFS");
		assertThat(this.recorder.writes()).isEmpty();
		assertThat(this.engine.transferServers()).contains(s3).doesNotContain(efs);
	}

	private void assertFieldError(UserSpec spec, String field, String message) {
		assertThatExceptionOfType(InvalidUserSpecException.class).isThrownBy(() -> this.engine.plan(spec))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement().satisfies((violation) -> {
				assertThat(violation.field()).isEqualTo(field);
				assertThat(violation.message()).contains(message);
			}));
	}

	private static UserSpec valid() {
		return AwsFixtures.spec(SERVER, "alice", "payments-inbox", KEY, TestKeys.ED25519_A);
	}

	private static UnaryOperator<UserSpec> change(UnaryOperator<UserSpec> change) {
		return change;
	}

	private static UserSpec with(UserSpec s, String field, String value) {
		return new UserSpec(field.equals("serverId") ? value : s.serverId(),
				field.equals("userName") ? value : s.userName(), field.equals("bucket") ? value : s.bucket(),
				field.equals("homePrefix") ? value : s.homePrefix(), field.equals("kmsKeyArn") ? value : s.kmsKeyArn(),
				s.sshPublicKeys(), s.accessLevel(), field.equals("roleArn") ? value : s.roleArn(), s.tags());
	}

	private static UserSpec withKeys(UserSpec s, String... keys) {
		return new UserSpec(s.serverId(), s.userName(), s.bucket(), s.homePrefix(), s.kmsKeyArn(), List.of(keys),
				s.accessLevel(), s.roleArn(), s.tags());
	}

	private static UserSpec withTags(UserSpec s, Map<String, String> tags) {
		return new UserSpec(s.serverId(), s.userName(), s.bucket(), s.homePrefix(), s.kmsKeyArn(), s.sshPublicKeys(),
				s.accessLevel(), s.roleArn(), tags);
	}

}
