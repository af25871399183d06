package io.transferportal.provisioning.transfer;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DirectoryListingOptimization;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.Protocol;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;

import io.transferportal.provisioning.ApplyResult;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.Connection;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningListener;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.Verification;
import io.transferportal.provisioning.validation.SshPublicKeys;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Home folders and servers as a real account has them, against moto: the folder marker a
 * server without directory listing optimisation needs, a server that is gone, and a new
 * user's SSH keys (the first in CreateUser, the others imported).
 */
@PortalIntegrationTest
class TransferRulesIntegrationTests {

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	TransferClient transfer;

	@Autowired
	S3Client s3;

	String bucket;

	String key;

	@BeforeEach
	void setUp() {
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
	}

	@Test
	void withoutDirectoryListingOptimisationTheFolderMarkerIsPlannedCreatedVerifiedAndKeptOnRemoval() {
		String server = this.aws.sftpServer();
		UserSpec spec = AwsFixtures.spec(server, "olivia", this.bucket, this.key, TestKeys.ED25519_A);

		Plan plan = this.engine.plan(spec);
		PlannedChange marker = plan.change(ResourceKind.HOME_FOLDER).orElseThrow();
		assertThat(marker.action()).isEqualTo(ChangeAction.CREATE);
		assertThat(marker.summary()).startsWith("Create folder marker s3://" + this.bucket + "/olivia/ (server "
				+ server + " does not use S3 directory listing optimisation");
		this.engine.apply(plan, ProvisioningListener.NONE);

		HeadObjectResponse head = this.s3.headObject((request) -> request.bucket(this.bucket).key("olivia/"));
		assertThat(head.contentLength()).isZero();
		// written after the bucket default, so encrypted with the user's key like
		// everything Transfer writes there
		assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
		assertThat(this.engine.verify(spec).check(ResourceKind.HOME_FOLDER).status()).isEqualTo(CheckStatus.OK);

		this.s3.deleteObject((request) -> request.bucket(this.bucket).key("olivia/"));
		Check missing = this.engine.verify(spec).check(ResourceKind.HOME_FOLDER);
		assertThat(missing.status()).isEqualTo(CheckStatus.MISSING);
		assertThat(missing.detail()).contains("s3://" + this.bucket + "/olivia/");
		this.engine.apply(this.engine.plan(spec), ProvisioningListener.NONE);

		Plan removal = this.engine.planRemoval(spec, List.of());
		assertThat(removal.change(ResourceKind.HOME_FOLDER).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		this.engine.apply(removal, ProvisioningListener.NONE);
		assertThat(this.s3.headObject((request) -> request.bucket(this.bucket).key("olivia/")).contentLength())
			.isZero();
	}

	@Test
	void withDirectoryListingOptimisationNoMarkerIsWritten() {
		String server = this.transfer
			.createServer((request) -> request.identityProviderType(IdentityProviderType.SERVICE_MANAGED)
				.protocols(Protocol.SFTP)
				.s3StorageOptions(
						(options) -> options.directoryListingOptimization(DirectoryListingOptimization.ENABLED)))
			.serverId();
		UserSpec spec = AwsFixtures.spec(server, "pia", this.bucket, this.key, TestKeys.ED25519_A);

		Plan plan = this.engine.plan(spec);
		assertThat(plan.change(ResourceKind.HOME_FOLDER).orElseThrow().summary())
			.isEqualTo("No folder marker needed: server " + server + " uses S3 directory listing optimisation");
		this.recorder.reset();
		this.engine.apply(plan, ProvisioningListener.NONE);

		assertThat(this.recorder.writes()).noneMatch((call) -> call.endsWith(":PutObject"));
		assertThatExceptionOfType(S3Exception.class)
			.isThrownBy(() -> this.s3.headObject((request) -> request.bucket(this.bucket).key("pia/")))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(404));
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void userTagsThatWereRemovedOrChangedAreDriftAndRepairedKeepingTagsOthersAdded() {
		String server = this.aws.sftpServer();
		UserSpec spec = AwsFixtures.spec(server, "rosa", this.bucket, this.key, TestKeys.ED25519_A);
		this.engine.apply(this.engine.plan(spec), ProvisioningListener.NONE);
		String arn = this.transfer.describeUser((r) -> r.serverId(server).userName("rosa")).user().arn();
		this.transfer.untagResource((r) -> r.arn(arn).tagKeys("team"));
		this.transfer.tagResource((r) -> r.arn(arn).tags((t) -> t.key("backup").value("daily")));

		Check drifted = this.engine.verify(spec).check(ResourceKind.TRANSFER_USER);
		assertThat(drifted.status()).isEqualTo(CheckStatus.DRIFT);
		assertThat(drifted.detail()).contains("set tags team=payments");
		this.recorder.reset();
		this.engine.apply(this.engine.plan(spec), ProvisioningListener.NONE);

		assertThat(this.recorder.writes()).containsExactly("Transfer:TagResource");
		assertThat(this.transfer.listTagsForResource((r) -> r.arn(arn)).tags())
			.extracting((tag) -> tag.key() + "=" + tag.value())
			.contains("team=payments", "backup=daily");
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	@Test
	void aNewUsersFirstKeyGoesInCreateUserAndOnlyTheOthersAreImported() {
		String server = this.aws.sftpServer();
		UserSpec oneKey = AwsFixtures.spec(server, "uma", this.bucket, this.key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(oneKey);
		assertThat(plan.change(ResourceKind.TRANSFER_USER).orElseThrow().summary()).endsWith(", with 1 SSH key");
		this.recorder.reset();
		ApplyResult applied = this.engine.apply(plan, ProvisioningListener.NONE);

		assertThat(transferWrites()).containsExactly("Transfer:CreateUser");
		assertThat(keys(server, "uma")).singleElement().satisfies((key) -> {
			assertThat(key.sshPublicKeyBody()).isEqualTo(TestKeys.ED25519_A);
			assertThat(key.dateImported()).isNotNull();
		});
		assertThat(userAfter(applied)).contains(SshPublicKeys.describe(TestKeys.ED25519_A));

		UserSpec twoKeys = AwsFixtures.spec(server, "vera", this.bucket, this.key, TestKeys.ED25519_A,
				TestKeys.ED25519_B);
		plan = this.engine.plan(twoKeys);
		assertThat(plan.change(ResourceKind.TRANSFER_USER).orElseThrow().summary())
			.endsWith(", with 1 SSH key, then import 1 more");
		this.recorder.reset();
		applied = this.engine.apply(plan, ProvisioningListener.NONE);

		assertThat(transferWrites()).containsExactly("Transfer:CreateUser", "Transfer:ImportSshPublicKey");
		assertThat(keys(server, "vera")).extracting(SshPublicKey::sshPublicKeyBody)
			.containsExactlyInAnyOrder(TestKeys.ED25519_A, TestKeys.ED25519_B);
		assertThat(keys(server, "vera")).allSatisfy((key) -> assertThat(key.dateImported()).isNotNull());
		// the audit's document after shows both keys
		assertThat(userAfter(applied)).contains(SshPublicKeys.describe(TestKeys.ED25519_A),
				SshPublicKeys.describe(TestKeys.ED25519_B));
		assertThat(this.engine.verify(oneKey).allOk()).isTrue();
		assertThat(this.engine.verify(twoKeys).allOk()).isTrue();
	}

	@Test
	void aRunInterruptedAfterCreateUserIsResumedByImportingOnlyTheMissingKey() {
		String server = this.aws.sftpServer();
		UserSpec spec = AwsFixtures.spec(server, "wanda", this.bucket, this.key, TestKeys.ED25519_A,
				TestKeys.ED25519_B);
		Plan plan = this.engine.plan(spec);
		this.recorder.reset();
		this.recorder.beforeNext("ImportSshPublicKey", () -> {
			throw new InterruptedRun();
		});
		assertThatThrownBy(() -> this.engine.apply(plan, ProvisioningListener.NONE))
			.satisfies((ex) -> assertThat(Stream.iterate(ex, Objects::nonNull, Throwable::getCause))
				.anyMatch(InterruptedRun.class::isInstance));
		assertThat(keys(server, "wanda")).extracting(SshPublicKey::sshPublicKeyBody)
			.containsExactly(TestKeys.ED25519_A);

		Plan retry = this.engine.plan(spec);
		assertThat(retry.change(ResourceKind.TRANSFER_USER).orElseThrow().summary())
			.isEqualTo("Update user: import 1 SSH key(s)");
		this.recorder.reset();
		this.engine.apply(retry, ProvisioningListener.NONE);

		assertThat(transferWrites()).containsExactly("Transfer:ImportSshPublicKey");
		assertThat(keys(server, "wanda")).extracting(SshPublicKey::sshPublicKeyBody)
			.containsExactlyInAnyOrder(TestKeys.ED25519_A, TestKeys.ED25519_B);
		assertThat(this.engine.verify(spec).allOk()).isTrue();
	}

	private List<String> transferWrites() {
		return this.recorder.writes().stream().filter((call) -> call.startsWith("Transfer:")).toList();
	}

	private List<SshPublicKey> keys(String server, String user) {
		return this.transfer.describeUser((r) -> r.serverId(server).userName(user)).user().sshPublicKeys();
	}

	private static String userAfter(ApplyResult applied) {
		return applied.changes()
			.stream()
			.filter((change) -> change.resource() == ResourceKind.TRANSFER_USER)
			.findFirst()
			.orElseThrow()
			.after();
	}

	@Test
	void theConnectionDetailsNameTheServersHostAndEveryHostKey() {
		String server = this.aws.sftpServer();
		UserSpec spec = AwsFixtures.spec(server, "sami", this.bucket, this.key, TestKeys.ED25519_A);

		Connection connection = this.engine.connection(spec);

		assertThat(connection.host()).isEqualTo(server + ".server.transfer.us-east-1.amazonaws.com");
		assertThat(connection.hostKeyFingerprints())
			.containsExactlyInAnyOrderElementsOf(this.transfer.listHostKeys((r) -> r.serverId(server))
				.hostKeys()
				.stream()
				.map((key) -> key.fingerprint())
				.toList())
			.contains(this.transfer.describeServer((r) -> r.serverId(server)).server().hostKeyFingerprint())
			.hasSize(2);
		assertThat(connection.sftpCommand()).isEqualTo("sftp -i <private key file> sami@" + connection.host());
	}

	@Test
	void aServerThatIsGoneIsAnErrorNamingItAndARepairPlansNoUser() {
		String server = this.aws.sftpServer();
		UserSpec spec = AwsFixtures.spec(server, "quinn", this.bucket, this.key, TestKeys.ED25519_A);
		this.engine.apply(this.engine.plan(spec), ProvisioningListener.NONE);
		this.transfer.deleteServer((request) -> request.serverId(server));

		Verification verification = this.engine.verify(spec);
		assertThat(verification.check(ResourceKind.TRANSFER_USER)).satisfies((check) -> {
			assertThat(check.status()).isEqualTo(CheckStatus.ERROR);
			assertThat(check.detail()).contains("Transfer server " + server + " no longer exists");
		});
		assertThat(verification.check(ResourceKind.HOME_FOLDER).status()).isEqualTo(CheckStatus.ERROR);

		// a repair plans nothing: DescribeServer answers ResourceNotFoundException (the
		// emulator as AWS does), a field error on serverId
		this.recorder.reset();
		assertThatExceptionOfType(InvalidUserSpecException.class).isThrownBy(() -> this.engine.plan(spec))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement()
				.satisfies((violation) -> assertThat(violation.field()).isEqualTo("serverId"))
				.satisfies((violation) -> assertThat(violation.message()).contains(server)));
		assertThat(this.recorder.writes()).isEmpty();
	}

	/** Stands for the portal stopping between two calls. */
	static class InterruptedRun extends RuntimeException {

	}

}
