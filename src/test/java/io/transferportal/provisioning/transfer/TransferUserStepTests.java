package io.transferportal.provisioning.transfer;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DeleteSshPublicKeyRequest;
import software.amazon.awssdk.services.transfer.model.DeleteSshPublicKeyResponse;
import software.amazon.awssdk.services.transfer.model.ImportSshPublicKeyResponse;
import software.amazon.awssdk.services.transfer.model.DescribeServerRequest;
import software.amazon.awssdk.services.transfer.model.DescribeUserRequest;
import software.amazon.awssdk.services.transfer.model.DescribeUserResponse;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryMapEntry;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.ImportSshPublicKeyRequest;
import software.amazon.awssdk.services.transfer.model.ResourceNotFoundException;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;
import software.amazon.awssdk.services.transfer.model.Tag;
import software.amazon.awssdk.services.transfer.model.UpdateUserRequest;
import software.amazon.awssdk.services.transfer.model.UpdateUserResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.InProcessProvisioningLocks;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.provisioning.validation.SshPublicKeys;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The UpdateUser path, which moto_server does not implement: a managed user whose session
 * policy, role or keys drifted is converged with one UpdateUser call plus key imports and
 * deletions.
 */
class TransferUserStepTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	static final String ROLE = "arn:aws:iam::123456789012:role/transfer-portal/transfer-portal-alice-1234abcd";

	// real default methods, so the Consumer<Builder> overloads reach the stubbed request
	// overloads
	TransferClient transfer = mock(TransferClient.class, org.mockito.Mockito.CALLS_REAL_METHODS);

	TransferUserStep step = new TransferUserStep(this.transfer, new InProcessProvisioningLocks());

	Target target;

	@BeforeEach
	void setUp() {
		willReturn(ImportSshPublicKeyResponse.builder().build()).given(this.transfer)
			.importSshPublicKey(any(ImportSshPublicKeyRequest.class));
		willReturn(DeleteSshPublicKeyResponse.builder().build()).given(this.transfer)
			.deleteSshPublicKey(any(DeleteSshPublicKeyRequest.class));
		UserSpec spec = new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
				List.of(TestKeys.ED25519_A, TestKeys.ED25519_B), AccessLevel.READ_WRITE, null, Map.of());
		var policy = TransferPolicies.homeFolderPolicy("aws", "payments-inbox", "alice", KEY, AccessLevel.READ_WRITE);
		this.target = new Target(spec, "123456789012", "aws",
				"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/alice",
				"transfer-portal-alice-1234abcd", ROLE, "/transfer-portal/", "transfer-portal-access",
				"arn:aws:s3:::payments-inbox", "alice", KEY,
				TransferPolicies.trustPolicy("123456789012",
						"arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/alice"),
				policy, policy,
				List.of(SshPublicKeys.parse(TestKeys.ED25519_A, 2048), SshPublicKeys.parse(TestKeys.ED25519_B, 2048)),
				Map.of(Target.MANAGED_TAG, Target.MANAGED_TAG_VALUE));
	}

	@Test
	void driftedSessionPolicyRoleAndKeysAreRepairedWithOneUpdateUserCall() {
		String narrowed = Policies.compact(TransferPolicies.kmsOnlyPolicy(KEY));
		givenUser((user) -> user.role("arn:aws:iam::123456789012:role/someone-else")
			.policy(narrowed)
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A),
					key("key-0000000000000000c", TestKeys.ED25519_C)));
		willReturn(UpdateUserResponse.builder().build()).given(this.transfer).updateUser(any(UpdateUserRequest.class));

		List<PlannedChange> planned = this.step.plan(this.target).changes();
		assertThat(planned).extracting(PlannedChange::resource, PlannedChange::action)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(ResourceKind.SESSION_POLICY, ChangeAction.UPDATE),
					org.assertj.core.groups.Tuple.tuple(ResourceKind.TRANSFER_USER, ChangeAction.UPDATE));
		assertThat(planned.get(1).summary()).contains("set the role", "import 1 SSH key(s)", "delete 1 SSH key(s)");

		List<AppliedChange> applied = this.step.apply(this.target);

		ArgumentCaptor<UpdateUserRequest> update = ArgumentCaptor.forClass(UpdateUserRequest.class);
		verify(this.transfer).updateUser(update.capture());
		assertThat(update.getValue().serverId()).isEqualTo("s-0123456789abcdef0");
		assertThat(update.getValue().userName()).isEqualTo("alice");
		assertThat(update.getValue().role()).isEqualTo(ROLE);
		assertThat(update.getValue().homeDirectoryType()).isEqualTo(HomeDirectoryType.LOGICAL);
		assertThat(update.getValue().homeDirectoryMappings()).singleElement()
			.isEqualTo(HomeDirectoryMapEntry.builder().entry("/").target("/payments-inbox/alice").build());
		assertThat(Policies.sameMeaning(Policies.parse(update.getValue().policy()), this.target.sessionPolicy()))
			.isTrue();
		ArgumentCaptor<ImportSshPublicKeyRequest> imported = ArgumentCaptor.forClass(ImportSshPublicKeyRequest.class);
		verify(this.transfer).importSshPublicKey(imported.capture());
		assertThat(imported.getValue().sshPublicKeyBody()).isEqualTo(TestKeys.ED25519_B);
		ArgumentCaptor<DeleteSshPublicKeyRequest> deleted = ArgumentCaptor.forClass(DeleteSshPublicKeyRequest.class);
		verify(this.transfer).deleteSshPublicKey(deleted.capture());
		assertThat(deleted.getValue().sshPublicKeyId()).isEqualTo("key-0000000000000000c");
		assertThat(applied).extracting(AppliedChange::resource, AppliedChange::outcome)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple(ResourceKind.SESSION_POLICY, AppliedChange.Outcome.UPDATED),
					org.assertj.core.groups.Tuple.tuple(ResourceKind.TRANSFER_USER, AppliedChange.Outcome.UPDATED));
	}

	@Test
	void onlyMissingKeysAreImportedWhenEverythingElseMatches() {
		givenUser((user) -> user.role(ROLE)
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A)));

		this.step.apply(this.target);

		verify(this.transfer, never()).updateUser(any(UpdateUserRequest.class));
		verify(this.transfer).importSshPublicKey(any(ImportSshPublicKeyRequest.class));
		verify(this.transfer, never()).deleteSshPublicKey(any(DeleteSshPublicKeyRequest.class));
	}

	@Test
	void userNotCreatedByThePortalIsAPlanProblemAndIsNotTouched() {
		givenUser((user) -> user.role(ROLE).tags(List.of()));

		assertThat(this.step.plan(this.target).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("not created by the portal"));
		assertThat(this.step
			.planRemoval(this.target, new io.transferportal.provisioning.core.ProvisioningStep.Sharing(false, false))
			.problems()).isNotEmpty();
	}

	@Test
	void unknownServerIsAFieldErrorOnServerId() {
		willThrow(ResourceNotFoundException.builder()
			.message("Unknown server")
			.awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
				.errorCode("ResourceNotFoundException")
				.build())
			.statusCode(400)
			.build()).given(this.transfer).describeServer(any(DescribeServerRequest.class));

		assertThat(this.step.checkInputs(this.target)).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("serverId");
			assertThat(violation.message()).contains("no Transfer server s-0123456789abcdef0");
		});
	}

	private void givenUser(Consumer<DescribedUser.Builder> customizer) {
		DescribedUser.Builder user = DescribedUser.builder()
			.arn(this.target.userArn())
			.userName("alice")
			.homeDirectoryType(HomeDirectoryType.LOGICAL)
			.homeDirectoryMappings(HomeDirectoryMapEntry.builder().entry("/").target("/payments-inbox/alice").build())
			.tags(Tag.builder().key(Target.MANAGED_TAG).value(Target.MANAGED_TAG_VALUE).build());
		customizer.accept(user);
		willReturn(DescribeUserResponse.builder().serverId("s-0123456789abcdef0").user(user.build()).build())
			.given(this.transfer)
			.describeUser(any(DescribeUserRequest.class));
	}

	private static SshPublicKey key(String id, String body) {
		return SshPublicKey.builder().sshPublicKeyId(id).sshPublicKeyBody(body).build();
	}

}
