package io.transferportal.provisioning.transfer;

import java.util.List;

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
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Home folders and servers as a real account has them, against moto: the folder marker a
 * server without directory listing optimisation needs, and a server that is gone.
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

}
