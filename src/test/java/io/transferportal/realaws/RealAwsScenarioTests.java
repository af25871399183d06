package io.transferportal.realaws;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.ListServersRequest;

import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.aws.AwsAccount;
import io.transferportal.provisioning.core.ProvisioningProperties;
import io.transferportal.provisioning.core.Targets;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The real-AWS scenario against moto_server, in every build: the code a platform team
 * runs against its account ({@link RealAwsTests}) is exercised here, so it cannot rot
 * unnoticed. moto does not evaluate policies or propagate IAM changes with a delay; what
 * only AWS shows is listed in {@code docs/real-aws-test.md}.
 */
@PortalIntegrationTest
class RealAwsScenarioTests {

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	Targets targets;

	@Autowired
	ProvisioningProperties provisioning;

	@Autowired
	AwsAccount account;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	AwsFixtures aws;

	@Autowired
	S3Client s3;

	@Autowired
	IamClient iam;

	@Autowired
	KmsClient kms;

	@Autowired
	TransferClient transfer;

	@Test
	void scenarioPassesAndCleansUpEverythingItCreated() {
		RealAwsScenario scenario = scenario(null);

		scenario.runAndCleanUp();

		assertEverythingRemoved(scenario);
	}

	@Test
	void anExistingServerIsUsedAndKept() {
		String server = this.aws.sftpServer();
		RealAwsScenario scenario = scenario(server);

		scenario.runAndCleanUp();

		assertThat(this.transfer.describeServer((request) -> request.serverId(server)).server().serverId())
			.isEqualTo(server);
		// moto has no ListUsers
		for (String user : List.of(scenario.runId() + "-dedicated", scenario.runId() + "-existing")) {
			RealAwsScenario
				.assertNotFound(() -> this.transfer.describeUser((request) -> request.serverId(server).userName(user)));
		}
	}

	@Test
	void aRunThatFailsHalfWayStillRemovesWhatItCreated() {
		RealAwsScenario scenario = scenario(null);
		// no other test's background run may take the hook
		this.recorder.reset();
		// AWS failing after the role and the key-policy change are written
		this.recorder.beforeNext("CreateUser", () -> {
			throw new IllegalStateException("simulated Transfer outage");
		});

		assertThatExceptionOfType(RuntimeException.class).isThrownBy(scenario::runAndCleanUp)
			.withStackTraceContaining("simulated Transfer outage")
			.satisfies((failure) -> assertThat(failure.getSuppressed()).as("clean-up failures").isEmpty());

		assertEverythingRemoved(scenario);
	}

	private RealAwsScenario scenario(@Nullable String existingServer) {
		return new RealAwsScenario(this.engine, this.targets, this.provisioning, this.account, this.recorder, this.s3,
				this.iam, this.kms, this.transfer, existingServer);
	}

	private void assertEverythingRemoved(RealAwsScenario scenario) {
		assertThatExceptionOfType(NoSuchBucketException.class).as("bucket deleted")
			.isThrownBy(() -> this.s3.headBucket((request) -> request.bucket(scenario.bucket())));
		assertThat(this.kms.describeKey((request) -> request.keyId(scenario.keyArn())).keyMetadata().keyState())
			.isEqualTo(KeyState.PENDING_DELETION);
		// moto answers DescribeServer of a deleted server with a 500, so the list is read
		assertThat(this.transfer.listServersPaginator(ListServersRequest.builder().build()).servers())
			.as("server deleted")
			.noneMatch((server) -> server.serverId().equals(scenario.serverId()));
		for (String path : List.of(scenario.existingRolePath(), "/transfer-portal/")) {
			assertThat(this.iam.listRolesPaginator((request) -> request.pathPrefix(path)).roles())
				.as("roles under " + path)
				.noneMatch((role) -> role.roleName().contains(scenario.runId()));
		}
	}

}
