package io.transferportal.provisioning.transfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.CreateUserRequest;
import software.amazon.awssdk.services.transfer.model.CreateUserResponse;
import software.amazon.awssdk.services.transfer.model.DeleteSshPublicKeyRequest;
import software.amazon.awssdk.services.transfer.model.DeleteSshPublicKeyResponse;
import software.amazon.awssdk.services.transfer.model.DescribeServerRequest;
import software.amazon.awssdk.services.transfer.model.DescribeUserRequest;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.Domain;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryMapEntry;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.ImportSshPublicKeyRequest;
import software.amazon.awssdk.services.transfer.model.ImportSshPublicKeyResponse;
import software.amazon.awssdk.services.transfer.model.ResourceExistsException;
import software.amazon.awssdk.services.transfer.model.ResourceNotFoundException;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;
import software.amazon.awssdk.services.transfer.model.Tag;
import software.amazon.awssdk.services.transfer.model.TagResourceRequest;
import software.amazon.awssdk.services.transfer.model.TagResourceResponse;
import software.amazon.awssdk.services.transfer.model.UntagResourceRequest;
import software.amazon.awssdk.services.transfer.model.UntagResourceResponse;
import software.amazon.awssdk.services.transfer.model.UpdateUserRequest;
import software.amazon.awssdk.services.transfer.model.UpdateUserResponse;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.Verification.SshKeysSeen;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.provisioning.transfer.TransferUser.Work;
import io.transferportal.provisioning.validation.SshPublicKeys;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The Transfer user's decisions as plain functions of the request and the user as read,
 * and the requests it writes (ProvisioningEngineIntegrationTests applies an UpdateUser
 * against the emulator).
 */
class TransferUserTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	// real default methods, so the Consumer<Builder> overloads reach the stubbed request
	// overloads
	TransferClient transfer = mock(TransferClient.class, CALLS_REAL_METHODS);

	TransferUser resource = new TransferUser(this.transfer, new TransferServers(this.transfer));

	Target target = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
			List.of(TestKeys.ED25519_A, TestKeys.ED25519_B), AccessLevel.READ_WRITE, null, Map.of()));

	@Test
	void missingUserIsCreatedWithItsSessionPolicyAndFirstKeyAndTheOtherKeysImported() {
		Decision<Work> decision = this.resource.decide(this.target, null);

		assertThat(decision.changes()).extracting(PlannedChange::resource, PlannedChange::action)
			.containsExactly(tuple(ResourceKind.SESSION_POLICY, ChangeAction.CREATE),
					tuple(ResourceKind.TRANSFER_USER, ChangeAction.CREATE));
		assertThat(decision.problems()).isEmpty();
		assertThat(decision.work().action()).isEqualTo(ChangeAction.CREATE);
		assertThat(decision.work().createKey().body()).isEqualTo(TestKeys.ED25519_A);
		assertThat(decision.work().importKeys()).extracting((key) -> key.body()).containsExactly(TestKeys.ED25519_B);
		assertThat(decision.changes().get(1).summary()).isEqualTo("Create user alice on s-0123456789abcdef0, "
				+ "chrooted to /payments-inbox/alice, with 1 SSH key, then import 1 more");
		// the document the approver reads, and the audit keeps, shows every key
		assertThat(decision.changes().get(1).after()).contains("/ -> /payments-inbox/alice", this.target.roleArn())
			.contains(SshPublicKeys.describe(TestKeys.ED25519_A), SshPublicKeys.describe(TestKeys.ED25519_B));
	}

	@Test
	void aNewUserWithOneKeyGetsItInCreateUserAndImportsNothing() {
		Target oneKey = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
				List.of(TestKeys.ED25519_A), AccessLevel.READ_WRITE, null, Map.of()));

		Decision<Work> decision = this.resource.decide(oneKey, null);

		assertThat(decision.changes().get(1).summary()).endsWith(", with 1 SSH key");
		assertThat(decision.work().createKey().body()).isEqualTo(TestKeys.ED25519_A);
		assertThat(decision.work().importKeys()).isEmpty();

		willReturn(CreateUserResponse.builder().build()).given(this.transfer).createUser(any(CreateUserRequest.class));
		this.resource.write(oneKey, decision.work());
		ArgumentCaptor<CreateUserRequest> create = ArgumentCaptor.forClass(CreateUserRequest.class);
		verify(this.transfer).createUser(create.capture());
		assertThat(create.getValue().sshPublicKeyBody()).isEqualTo(TestKeys.ED25519_A);
		verify(this.transfer, never()).importSshPublicKey(any(ImportSshPublicKeyRequest.class));
	}

	@Test
	void aNewUserWithThreeKeysIsCreatedWithTheFirstAndImportsTheOtherTwo() {
		Target threeKeys = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
				List.of(TestKeys.ED25519_A, TestKeys.ED25519_B, TestKeys.ED25519_C), AccessLevel.READ_WRITE, null,
				Map.of()));
		givenKeyCallsSucceed();
		willReturn(CreateUserResponse.builder().build()).given(this.transfer).createUser(any(CreateUserRequest.class));

		Decision<Work> decision = this.resource.decide(threeKeys, null);
		this.resource.write(threeKeys, decision.work());

		assertThat(decision.changes().get(1).summary()).endsWith(", with 1 SSH key, then import 2 more");
		ArgumentCaptor<CreateUserRequest> create = ArgumentCaptor.forClass(CreateUserRequest.class);
		verify(this.transfer).createUser(create.capture());
		assertThat(create.getValue().sshPublicKeyBody()).isEqualTo(TestKeys.ED25519_A);
		ArgumentCaptor<ImportSshPublicKeyRequest> imported = ArgumentCaptor.forClass(ImportSshPublicKeyRequest.class);
		verify(this.transfer, times(2)).importSshPublicKey(imported.capture());
		assertThat(imported.getAllValues()).extracting(ImportSshPublicKeyRequest::sshPublicKeyBody)
			.containsExactly(TestKeys.ED25519_B, TestKeys.ED25519_C);
	}

	@Test
	void aRetryAfterACrashBetweenCreateUserAndTheImportsImportsOnlyTheMissingKeys() {
		givenKeyCallsSucceed();
		// what CreateUser left: the user as created, holding only the first key
		DescribedUser created = user((u) -> u.role(this.target.roleArn())
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A)));

		Decision<Work> retry = this.resource.decide(this.target, created);
		this.resource.write(this.target, retry.work());

		assertThat(retry.changes().get(1).summary()).isEqualTo("Update user: import 1 SSH key(s)");
		verify(this.transfer, never()).createUser(any(CreateUserRequest.class));
		verify(this.transfer, never()).updateUser(any(UpdateUserRequest.class));
		ArgumentCaptor<ImportSshPublicKeyRequest> imported = ArgumentCaptor.forClass(ImportSshPublicKeyRequest.class);
		verify(this.transfer).importSshPublicKey(imported.capture());
		assertThat(imported.getValue().sshPublicKeyBody()).isEqualTo(TestKeys.ED25519_B);
	}

	@Test
	void driftedSessionPolicyRoleAndKeysAreOneUpdateUserPlusKeyChanges() {
		DescribedUser user = user((u) -> u.role("arn:aws:iam::123456789012:role/someone-else")
			.policy(Policies.compact(TransferPolicies.kmsOnlyPolicy(KEY)))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A),
					key("key-0000000000000000c", TestKeys.ED25519_C)));

		Decision<Work> decision = this.resource.decide(this.target, user);

		assertThat(decision.changes()).extracting(PlannedChange::resource, PlannedChange::action)
			.containsExactly(tuple(ResourceKind.SESSION_POLICY, ChangeAction.UPDATE),
					tuple(ResourceKind.TRANSFER_USER, ChangeAction.UPDATE));
		assertThat(decision.changes().get(1).summary()).contains("set the role", "import 1 SSH key(s)",
				"delete 1 SSH key(s)");
		assertThat(decision.work().updateUser()).isTrue();
		assertThat(decision.work().importKeys()).extracting((key) -> key.body()).containsExactly(TestKeys.ED25519_B);
		assertThat(decision.work().deleteKeyIds()).containsExactly("key-0000000000000000c");
	}

	@Test
	void onlyMissingKeysAreImportedWhenEverythingElseMatches() {
		DescribedUser user = user((u) -> u.role(this.target.roleArn())
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A)));

		Decision<Work> decision = this.resource.decide(this.target, user);

		assertThat(decision.changes()).extracting(PlannedChange::action)
			.containsExactly(ChangeAction.NONE, ChangeAction.UPDATE);
		assertThat(decision.work().updateUser()).isFalse();
		assertThat(decision.work().importKeys()).hasSize(1);
		assertThat(decision.work().deleteKeyIds()).isEmpty();
	}

	@Test
	void missingOrChangedTagsAreSetAndTagsOthersAddedAreKept() {
		DescribedUser user = matchingButTags(tag("cost-center", "old"), tag("backup", "daily"));
		Target tagged = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
				List.of(TestKeys.ED25519_A, TestKeys.ED25519_B), AccessLevel.READ_WRITE, null,
				Map.of("cost-center", "4711", "team", "payments")));

		Decision<Work> decision = this.resource.decide(tagged, user);

		PlannedChange change = decision.changes().get(1);
		assertThat(change.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(change.summary()).isEqualTo("Update user: set tags cost-center=4711, team=payments");
		assertThat(change.after()).contains("\"backup\" : \"daily\"", "\"cost-center\" : \"4711\"");
		assertThat(decision.work().updateUser()).isFalse();
		assertThat(decision.work().tags()).containsOnly(Map.entry("cost-center", "4711"),
				Map.entry("team", "payments"));

		willReturn(TagResourceResponse.builder().build()).given(this.transfer)
			.tagResource(any(TagResourceRequest.class));
		this.resource.write(tagged, decision.work());
		ArgumentCaptor<TagResourceRequest> request = ArgumentCaptor.forClass(TagResourceRequest.class);
		verify(this.transfer).tagResource(request.capture());
		assertThat(request.getValue().arn()).isEqualTo(tagged.userArn());
		assertThat(request.getValue().tags()).extracting(Tag::key).containsExactlyInAnyOrder("cost-center", "team");
		verify(this.transfer, never()).updateUser(any(UpdateUserRequest.class));
	}

	@Test
	void aChangeRemovesTagsThePortalSetWithUntagResourceAndKeepsTheRest() {
		UserSpec before = new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
				List.of(TestKeys.ED25519_A, TestKeys.ED25519_B), AccessLevel.READ_WRITE, null,
				Map.of("cost-center", "4711", "team", "payments"));
		Target change = TestTargets.resolveChange(before,
				new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY,
						List.of(TestKeys.ED25519_A, TestKeys.ED25519_B), AccessLevel.READ_WRITE, null,
						Map.of("team", "payments")));
		DescribedUser user = matchingButTags(tag("cost-center", "4711"), tag("team", "payments"),
				tag("backup", "daily"));

		Decision<Work> decision = this.resource.decide(change, user);

		PlannedChange planned = decision.changes().get(1);
		assertThat(planned.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(planned.summary()).isEqualTo("Update user: remove tag cost-center");
		assertThat(planned.before()).contains("\"cost-center\" : \"4711\"");
		assertThat(planned.after()).doesNotContain("cost-center")
			.contains("\"backup\" : \"daily\"", "\"team\" : \"payments\"", "\"transfer-portal:user\" : \"alice\"");
		assertThat(decision.work().updateUser()).isFalse();
		assertThat(decision.work().tags()).isEmpty();
		assertThat(decision.work().untagKeys()).containsExactly("cost-center");

		willReturn(UntagResourceResponse.builder().build()).given(this.transfer)
			.untagResource(any(UntagResourceRequest.class));
		this.resource.write(change, decision.work());
		ArgumentCaptor<UntagResourceRequest> request = ArgumentCaptor.forClass(UntagResourceRequest.class);
		verify(this.transfer).untagResource(request.capture());
		assertThat(request.getValue().arn()).isEqualTo(change.userArn());
		assertThat(request.getValue().tagKeys()).containsExactly("cost-center");
		verify(this.transfer, never()).updateUser(any(UpdateUserRequest.class));
		verify(this.transfer, never()).tagResource(any(TagResourceRequest.class));
	}

	@Test
	void aPlainPlanNeverRemovesATagItDoesNotAskFor() {
		DescribedUser user = matchingButTags(tag("cost-center", "4711"));

		assertThat(this.resource.decide(this.target, user).writes()).isFalse();
	}

	@Test
	void theKeysSeenCountEveryKeyTheUserHoldsWithTheOldestImportDate() {
		Instant older = Instant.parse("2025-03-01T10:00:00Z");
		DescribedUser user = user((u) -> u.sshPublicKeys(
				key("key-0000000000000000a", TestKeys.ED25519_A).toBuilder()
					.dateImported(Instant.parse("2026-01-01T10:00:00Z"))
					.build(),
				key("key-0000000000000000b", TestKeys.ED25519_B).toBuilder().dateImported(older).build(),
				key("key-0000000000000000c", TestKeys.ED25519_B)));

		assertThat(this.resource.sshKeysSeen(user)).isEqualTo(new SshKeysSeen(3, older));
		assertThat(this.resource.sshKeysSeen(user((u) -> u.sshPublicKeys(List.of())))).isEqualTo(SshKeysSeen.NONE);
		assertThat(this.resource.sshKeysSeen(null)).isEqualTo(SshKeysSeen.NONE);
	}

	@Test
	void aUserAsRequiredNeedsNoWrite() {
		DescribedUser user = user((u) -> u.role(this.target.roleArn())
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A),
					key("key-0000000000000000b", TestKeys.ED25519_B)));

		Decision<Work> decision = this.resource.decide(this.target, user);

		assertThat(decision.changes()).extracting(PlannedChange::action)
			.containsExactly(ChangeAction.NONE, ChangeAction.NONE);
		assertThat(decision.writes()).isFalse();
	}

	@Test
	void aDuplicateImportOfARequestedKeyIsDeleted() {
		DescribedUser user = user((u) -> u.role(this.target.roleArn())
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A),
					key("key-0000000000000000d", TestKeys.ED25519_A),
					key("key-0000000000000000b", TestKeys.ED25519_B)));

		assertThat(this.resource.decide(this.target, user).work().deleteKeyIds())
			.containsExactly("key-0000000000000000d");
	}

	@Test
	void userNotCreatedByThePortalIsAProblemForProvisionAndRemoval() {
		DescribedUser user = user((u) -> u.role(this.target.roleArn()).tags(List.of()));

		assertThat(this.resource.decide(this.target, user).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("not created by the portal"));
		assertThat(this.resource.decideRemoval(this.target, user, Sharing.NONE).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("it is not deleted"));
	}

	@Test
	void removalDeletesTheUserAndKeepsTheFilesNoted() {
		Decision<Work> removal = this.resource.decideRemoval(this.target, user((u) -> u.role(this.target.roleArn())),
				Sharing.NONE);

		assertThat(removal.changes()).extracting(PlannedChange::action)
			.containsExactly(ChangeAction.DELETE, ChangeAction.DELETE);
		assertThat(removal.changes().get(1).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("files in /payments-inbox/alice are kept"));
		assertThat(this.resource.decideRemoval(this.target, null, Sharing.NONE).writes()).isFalse();
	}

	@Test
	void anUpdateSetsRoleHomeAndSessionPolicyInOneUpdateUserCall() {
		givenKeyCallsSucceed();
		willReturn(UpdateUserResponse.builder().build()).given(this.transfer).updateUser(any(UpdateUserRequest.class));
		DescribedUser user = user((u) -> u.role("arn:aws:iam::123456789012:role/someone-else")
			.policy(Policies.compact(TransferPolicies.kmsOnlyPolicy(KEY)))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A),
					key("key-0000000000000000c", TestKeys.ED25519_C)));

		this.resource.write(this.target, this.resource.decide(this.target, user).work());

		ArgumentCaptor<UpdateUserRequest> update = ArgumentCaptor.forClass(UpdateUserRequest.class);
		verify(this.transfer).updateUser(update.capture());
		assertThat(update.getValue().serverId()).isEqualTo("s-0123456789abcdef0");
		assertThat(update.getValue().userName()).isEqualTo("alice");
		assertThat(update.getValue().role()).isEqualTo(this.target.roleArn());
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
	}

	@Test
	void onlyKeyChangesMakeNoUpdateUserCall() {
		givenKeyCallsSucceed();
		DescribedUser user = user((u) -> u.role(this.target.roleArn())
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A)));

		this.resource.write(this.target, this.resource.decide(this.target, user).work());

		verify(this.transfer, never()).updateUser(any(UpdateUserRequest.class));
		verify(this.transfer).importSshPublicKey(any(ImportSshPublicKeyRequest.class));
		verify(this.transfer, never()).deleteSshPublicKey(any(DeleteSshPublicKeyRequest.class));
	}

	@Test
	void aKeyAnInterruptedRunAlreadyImportedIsNotAnError() {
		willThrow(ResourceExistsException.builder()
			.awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceExistsException").build())
			.statusCode(409)
			.build()).given(this.transfer).importSshPublicKey(any(ImportSshPublicKeyRequest.class));
		DescribedUser user = user((u) -> u.role(this.target.roleArn())
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A)));

		this.resource.write(this.target, this.resource.decide(this.target, user).work());

		verify(this.transfer).importSshPublicKey(any(ImportSshPublicKeyRequest.class));
	}

	@Test
	void unknownServerIsAFieldErrorOnServerId() {
		willThrow(ResourceNotFoundException.builder()
			.message("Unknown server")
			.awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
			.statusCode(400)
			.build()).given(this.transfer).describeServer(any(DescribeServerRequest.class));

		assertThat(this.resource.checkInputs(this.target)).singleElement().satisfies((violation) -> {
			assertThat(violation.field()).isEqualTo("serverId");
			assertThat(violation.message()).contains("no Transfer server s-0123456789abcdef0");
		});
	}

	@Test
	void aUserOnAServerThatIsGoneIsAnErrorNamingTheServerNotAMissingUser() {
		willThrow(notFound("Server")).given(this.transfer).describeUser(any(DescribeUserRequest.class));

		assertThatExceptionOfType(ProvisioningException.class).isThrownBy(() -> this.resource.read(this.target))
			.withMessage("DescribeUser alice failed: Transfer server s-0123456789abcdef0 no longer exists or is not "
					+ "available (ResourceNotFoundException)");
	}

	@Test
	void aMissingUserOnAServerThatExistsIsMissing() {
		willThrow(notFound("User")).given(this.transfer).describeUser(any(DescribeUserRequest.class));

		assertThat(this.resource.read(this.target)).isNull();
	}

	private static ResourceNotFoundException notFound(String resourceType) {
		return (ResourceNotFoundException) ResourceNotFoundException.builder()
			.resourceType(resourceType)
			.resource("Server".equals(resourceType) ? "s-0123456789abcdef0" : "alice")
			.message("Unknown " + resourceType.toLowerCase(Locale.ROOT))
			.awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
			.statusCode(400)
			.build();
	}

	@Test
	void onlyServersStoringOnS3TakeSessionPolicies() {
		assertThat(TransferUser.storesOnS3(Domain.S3)).isTrue();
		assertThat(TransferUser.storesOnS3(null)).as("a server created without a domain stores on S3").isTrue();
		assertThat(TransferUser.storesOnS3(Domain.EFS)).isFalse();
	}

	private void givenKeyCallsSucceed() {
		willReturn(ImportSshPublicKeyResponse.builder().build()).given(this.transfer)
			.importSshPublicKey(any(ImportSshPublicKeyRequest.class));
		willReturn(DeleteSshPublicKeyResponse.builder().build()).given(this.transfer)
			.deleteSshPublicKey(any(DeleteSshPublicKeyRequest.class));
	}

	private DescribedUser user(Consumer<DescribedUser.Builder> customizer) {
		DescribedUser.Builder user = DescribedUser.builder()
			.arn(this.target.userArn())
			.userName("alice")
			.homeDirectoryType(HomeDirectoryType.LOGICAL)
			.homeDirectoryMappings(HomeDirectoryMapEntry.builder().entry("/").target("/payments-inbox/alice").build())
			.tags(this.target.tags()
				.entrySet()
				.stream()
				.map((entry) -> tag(entry.getKey(), entry.getValue()))
				.toList());
		customizer.accept(user);
		return user.build();
	}

	/**
	 * A user as the plan wants it (role, session policy, keys A and B, the portal's own
	 * tags) but for these further tags.
	 */
	private DescribedUser matchingButTags(Tag... others) {
		List<Tag> tags = new ArrayList<>(List.of(tag(Target.MANAGED_TAG, Target.MANAGED_TAG_VALUE),
				tag("transfer-portal:server", "s-0123456789abcdef0"), tag("transfer-portal:user", "alice")));
		tags.addAll(List.of(others));
		return user((u) -> u.role(this.target.roleArn())
			.policy(Policies.compact(this.target.sessionPolicy()))
			.sshPublicKeys(key("key-0000000000000000a", TestKeys.ED25519_A),
					key("key-0000000000000000b", TestKeys.ED25519_B))
			.tags(tags));
	}

	private static Tag tag(String key, String value) {
		return Tag.builder().key(key).value(value).build();
	}

	private static SshPublicKey key(String id, String body) {
		return SshPublicKey.builder().sshPublicKeyId(id).sshPublicKeyBody(body).build();
	}

}
