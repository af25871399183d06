package io.transferportal.provisioning.transfer;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryMapEntry;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;
import software.amazon.awssdk.services.transfer.model.Tag;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.AdoptionRefusedException;
import io.transferportal.provisioning.AdoptionRefusedException.Reason;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.ExistingUser;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.transfer.TransferUser.Work;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Adoption's decisions as plain functions of the request and the user as read: whether a
 * user can be adopted ({@link AdoptionRules}) and what taking it over changes
 * ({@link TransferUser#decideAdoption}). No AWS client is called.
 */
class AdoptionDecisionsTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	static final String SERVER = "s-0123456789abcdef0";

	static final String ROLE = "arn:aws:iam::123456789012:role/partners/legacy-sftp";

	TransferClient transfer = mock(TransferClient.class);

	TransferUser resource = new TransferUser(this.transfer, new TransferServers(this.transfer));

	Target target = TestTargets.resolve(new UserSpec(SERVER, "alice", "payments-inbox", null, KEY,
			List.of(TestKeys.ED25519_A), AccessLevel.READ_WRITE, ROLE, Map.of()));

	@Test
	void aPathUserKeepsItsRoleAndEachKeyOnce() {
		DescribedUser user = legacy().homeDirectoryType(HomeDirectoryType.PATH)
			.homeDirectory("/payments-inbox/alice")
			.sshPublicKeys(key("key-a", TestKeys.ED25519_A),
					key("key-b", TestKeys.ED25519_A.replace("alice@laptop", "again")), key("key-c", TestKeys.ED25519_B))
			.tags(Tag.builder().key("owner").value("ops").build())
			.build();

		ExistingUser existing = AdoptionRules.existing(SERVER, "alice", user);

		assertThat(existing.roleArn()).isEqualTo(ROLE);
		assertThat(existing.homeDirectoryType()).isEqualTo("PATH");
		assertThat(existing.homeDirectory()).isEqualTo("/payments-inbox/alice");
		assertThat(existing.sshPublicKeys()).containsExactly(TestKeys.ED25519_A, TestKeys.ED25519_B);
		assertThat(existing.tags()).containsExactly(Map.entry("owner", "ops"));
	}

	@Test
	void aLogicalChrootIsAdoptable() {
		DescribedUser user = legacy().homeDirectoryType(HomeDirectoryType.LOGICAL)
			.homeDirectoryMappings(mapping("/", "/payments-inbox/partners/alice"))
			.build();

		assertThat(AdoptionRules.existing(SERVER, "alice", user).homeDirectoryMappings())
			.containsExactly("/ -> /payments-inbox/partners/alice");
	}

	@Test
	void logicalHomesThePortalCannotExpressAreRefused() {
		for (List<HomeDirectoryMapEntry> mappings : List.<List<HomeDirectoryMapEntry>>of(
				List.of(mapping("/in", "/payments-inbox/in"), mapping("/out", "/payments-inbox/out")),
				List.of(mapping("/data", "/payments-inbox/alice")), List.of(mapping("/", "/payments-inbox")),
				List.of(mapping("/", "/payments-inbox/${transfer:UserName}")), List.of())) {
			DescribedUser user = legacy().homeDirectoryType(HomeDirectoryType.LOGICAL)
				.homeDirectoryMappings(mappings)
				.build();

			assertThatExceptionOfType(AdoptionRefusedException.class)
				.isThrownBy(() -> AdoptionRules.existing(SERVER, "alice", user))
				.satisfies((ex) -> {
					assertThat(ex.reason()).isEqualTo(Reason.NOT_ADOPTABLE);
					assertThat(ex.getMessage()).contains("has the LOGICAL home directory",
							"exactly one mapping of / to a folder in a bucket");
				});
		}
	}

	@Test
	void aUserCarryingThePortalsTagIsNotAdopted() {
		DescribedUser user = legacy()
			.tags(Tag.builder().key(Target.MANAGED_TAG).value(Target.MANAGED_TAG_VALUE).build())
			.build();

		assertThatExceptionOfType(AdoptionRefusedException.class)
			.isThrownBy(() -> AdoptionRules.existing(SERVER, "alice", user))
			.withMessageContaining("already carries the portal's tag " + Target.MANAGED_TAG)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NOT_ADOPTABLE));
	}

	@Test
	void aUserWithoutARoleIsNotAdopted() {
		assertThatExceptionOfType(AdoptionRefusedException.class)
			.isThrownBy(() -> AdoptionRules.existing(SERVER, "alice", legacy().role(null).build()))
			.withMessageContaining("has no IAM role");
	}

	@Test
	void anUnmanagedUserIsTakenOverInsteadOfRefused() {
		DescribedUser user = legacy().homeDirectoryType(HomeDirectoryType.PATH)
			.homeDirectory("/payments-inbox/old")
			.sshPublicKeys(key("key-a", TestKeys.ED25519_A))
			.tags(Tag.builder().key("owner").value("ops").build())
			.build();

		assertThat(this.resource.decide(this.target, user).problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("not created by the portal"));

		Decision<Work> adoption = this.resource.decideAdoption(this.target, user);

		assertThat(adoption.problems()).isEmpty();
		PlannedChange change = adoption.changes().get(1);
		assertThat(change.resource()).isEqualTo(ResourceKind.TRANSFER_USER);
		assertThat(change.action()).isEqualTo(ChangeAction.UPDATE);
		assertThat(change.summary()).startsWith("Adopt user alice on " + SERVER + ": ")
			.contains("restore the LOGICAL home directory", "set tags");
		assertThat(change.warnings()).hasSize(2)
			.anySatisfy((warning) -> assertThat(warning).contains("takes this user over"))
			.anySatisfy((warning) -> assertThat(warning)
				.contains("changes from /payments-inbox/old to /payments-inbox/alice"));
		assertThat(change.after()).contains("\"owner\" : \"ops\"", Target.MANAGED_TAG, ROLE);
		assertThat(adoption.work().updateUser()).isTrue();
		assertThat(adoption.work().tags()).containsEntry(Target.MANAGED_TAG, Target.MANAGED_TAG_VALUE)
			.doesNotContainKey("owner");
		assertThat(adoption.work().importKeys()).isEmpty();
		verifyNoInteractions(this.transfer);
	}

	@Test
	void aUserThatIsGoneIsNotCreated() {
		Decision<Work> adoption = this.resource.decideAdoption(this.target, null);

		assertThat(adoption.writes()).isFalse();
		assertThat(adoption.changes()).extracting(PlannedChange::action)
			.containsExactly(ChangeAction.NONE, ChangeAction.NONE);
		assertThat(adoption.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).contains("there is nothing to adopt"));
	}

	@Test
	void aUserTaggedByAnInterruptedRunOfTheAdoptionConvergesLikeAManagedOne() {
		DescribedUser tagged = legacy().homeDirectoryType(HomeDirectoryType.LOGICAL)
			.homeDirectoryMappings(mapping("/", this.target.homeTarget()))
			.sshPublicKeys(key("key-a", TestKeys.ED25519_A))
			.tags(this.target.tags()
				.entrySet()
				.stream()
				.map((tag) -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
				.toList())
			.build();

		assertThat(this.resource.decideAdoption(this.target, tagged))
			.isEqualTo(this.resource.decide(this.target, tagged));
	}

	private static DescribedUser.Builder legacy() {
		return DescribedUser.builder()
			.arn("arn:aws:transfer:us-east-1:123456789012:user/" + SERVER + "/alice")
			.userName("alice")
			.role(ROLE);
	}

	private static HomeDirectoryMapEntry mapping(String entry, String target) {
		return HomeDirectoryMapEntry.builder().entry(entry).target(target).build();
	}

	private static SshPublicKey key(String id, String body) {
		return SshPublicKey.builder().sshPublicKeyId(id).sshPublicKeyBody(body).build();
	}

}
