package io.transferportal.support;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryMapEntry;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.InvalidNextTokenException;
import software.amazon.awssdk.services.transfer.model.ListHostKeysResponse;
import software.amazon.awssdk.services.transfer.model.ListedHostKey;
import software.amazon.awssdk.services.transfer.model.Protocol;
import software.amazon.awssdk.services.transfer.model.ResourceExistsException;
import software.amazon.awssdk.services.transfer.model.ResourceNotFoundException;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;
import software.amazon.awssdk.services.transfer.model.Tag;
import software.amazon.awssdk.services.transfer.model.UpdateUserResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The Transfer calls the test emulator adds to moto
 * ({@code emulator/transfer_extensions.py}), through the SDK over HTTP, against what the
 * AWS Transfer Family API reference says of them, and what the portal relies on from
 * moto's own Transfer backend.
 */
class MotoTransferExtensionsTests {

	private static final String ROLE = "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/transfer-first";

	private static final String OTHER_ROLE = "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":role/transfer-second";

	private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
			+ "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::data\"}]}";

	private static final String OTHER_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
			+ "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::data/*\"}]}";

	private static final String MISSING_SERVER = "s-0123456789abcdef0";

	private static TransferClient transfer;

	@BeforeAll
	static void client() {
		transfer = TransferClient.builder()
			.region(Region.US_EAST_1)
			.endpointOverride(MotoServer.endpoint())
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.build();
	}

	@AfterAll
	static void close() {
		transfer.close();
	}

	@Test
	void updateUserChangesTheFieldsSentAndKeepsTheOthers() {
		String server = server();
		String user = user(server);

		UpdateUserResponse answer = transfer
			.updateUser((request) -> request.serverId(server).userName(user).policy(OTHER_POLICY));

		assertThat(answer.serverId()).isEqualTo(server);
		assertThat(answer.userName()).isEqualTo(user);
		DescribedUser updated = describe(server, user);
		assertThat(updated.policy()).isEqualTo(OTHER_POLICY);
		assertThat(updated.role()).isEqualTo(ROLE);
		assertThat(updated.homeDirectoryType()).isEqualTo(HomeDirectoryType.LOGICAL);
		assertThat(updated.homeDirectoryMappings())
			.extracting(HomeDirectoryMapEntry::entry, HomeDirectoryMapEntry::target)
			.containsExactly(tuple("/", "/data/" + user));
		assertThat(updated.sshPublicKeys()).hasSize(1);
		assertThat(updated.tags()).extracting(Tag::key).containsExactly("team");

		transfer.updateUser((request) -> request.serverId(server)
			.userName(user)
			.role(OTHER_ROLE)
			.homeDirectoryType(HomeDirectoryType.PATH)
			.homeDirectory("/data/elsewhere")
			.homeDirectoryMappings(HomeDirectoryMapEntry.builder().entry("/").target("/data/elsewhere").build())
			.posixProfile((posix) -> posix.uid(1000L).gid(1001L).secondaryGids(2000L)));

		DescribedUser again = describe(server, user);
		assertThat(again.role()).isEqualTo(OTHER_ROLE);
		assertThat(again.homeDirectoryType()).isEqualTo(HomeDirectoryType.PATH);
		assertThat(again.homeDirectory()).isEqualTo("/data/elsewhere");
		assertThat(again.homeDirectoryMappings()).extracting(HomeDirectoryMapEntry::target)
			.containsExactly("/data/elsewhere");
		assertThat(again.posixProfile().uid()).isEqualTo(1000L);
		assertThat(again.posixProfile().gid()).isEqualTo(1001L);
		assertThat(again.posixProfile().secondaryGids()).containsExactly(2000L);
		assertThat(again.policy()).as("not sent, kept").isEqualTo(OTHER_POLICY);
	}

	/**
	 * ImportSshPublicKey of a key the user holds (with another comment or none) fails
	 * with ResourceExistsException (API_ImportSshPublicKey.html), so a retried import
	 * after a lost answer cannot leave the key twice; moto 5.2.1 appends a copy. Another
	 * key is imported.
	 */
	@Test
	void importSshPublicKeyRefusesAKeyTheUserHolds() {
		String server = server();
		String user = user(server);
		String sameKeyOtherComment = String.join(" ", List.of(TestKeys.ED25519_A.split(" ")).subList(0, 2))
				+ " someone@else";

		assertThatExceptionOfType(ResourceExistsException.class).isThrownBy(() -> transfer.importSshPublicKey(
				(request) -> request.serverId(server).userName(user).sshPublicKeyBody(sameKeyOtherComment)));
		assertThat(describe(server, user).sshPublicKeys()).hasSize(1);
		transfer.importSshPublicKey(
				(request) -> request.serverId(server).userName(user).sshPublicKeyBody(TestKeys.ED25519_B));
		assertThat(describe(server, user).sshPublicKeys()).hasSize(2);
	}

	/**
	 * CreateUser on a user name the server has fails with ResourceExistsException
	 * (API_CreateUser.html), naming the user, and leaves the user as it was; moto 5.2.1
	 * replaces the user.
	 */
	@Test
	void createUserRefusesAUserThatExists() {
		String server = server();
		String user = user(server);

		assertThatExceptionOfType(ResourceExistsException.class)
			.isThrownBy(() -> transfer.createUser((request) -> request.serverId(server)
				.userName(user)
				.role(OTHER_ROLE)
				.homeDirectoryType(HomeDirectoryType.LOGICAL)
				.homeDirectoryMappings(HomeDirectoryMapEntry.builder().entry("/").target("/data/other").build())))
			.satisfies((ex) -> {
				assertThat(ex.resource()).isEqualTo(user);
				assertThat(ex.resourceType()).isEqualTo("User");
			});
		assertThat(describe(server, user).role()).isEqualTo(ROLE);
		assertThat(describe(server, user).sshPublicKeys()).hasSize(1);
	}

	/**
	 * moto's own CreateUser stores its SshPublicKeyBody ("The public portion of the
	 * Secure Shell (SSH) key used to authenticate the user to the server",
	 * API_CreateUser.html) as an imported key; the portal creates a user with its first
	 * key and deletes that key like any other.
	 */
	@Test
	void theKeyGivenToCreateUserIsImportedAndCanBeDeleted() {
		String server = server();
		String user = user(server);

		DescribedUser created = describe(server, user);
		assertThat(created.sshPublicKeys()).singleElement().satisfies((key) -> {
			assertThat(key.sshPublicKeyBody()).isEqualTo(TestKeys.ED25519_A);
			assertThat(key.dateImported()).isNotNull();
			assertThat(key.sshPublicKeyId()).isNotBlank();
		});
		transfer.importSshPublicKey(
				(request) -> request.serverId(server).userName(user).sshPublicKeyBody(TestKeys.ED25519_B));
		String first = created.sshPublicKeys().get(0).sshPublicKeyId();
		transfer.deleteSshPublicKey((request) -> request.serverId(server).userName(user).sshPublicKeyId(first));

		assertThat(describe(server, user).sshPublicKeys()).extracting(SshPublicKey::sshPublicKeyBody)
			.containsExactly(TestKeys.ED25519_B);
	}

	@Test
	void updateUserNamesTheMissingUserOrServer() {
		String server = server();

		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> transfer.updateUser((request) -> request.serverId(server).userName("nobody").role(ROLE)))
			.satisfies((ex) -> {
				assertThat(ex.resourceType()).isEqualTo("User");
				assertThat(ex.resource()).isEqualTo("nobody");
				assertThat(ex.statusCode()).isEqualTo(400);
			});
		assertThatExceptionOfType(ResourceNotFoundException.class).isThrownBy(
				() -> transfer.updateUser((request) -> request.serverId(MISSING_SERVER).userName("nobody").role(ROLE)))
			.satisfies((ex) -> {
				assertThat(ex.resourceType()).isEqualTo("Server");
				assertThat(ex.resource()).isEqualTo(MISSING_SERVER);
			});
	}

	@Test
	void tagsOnAUserAreAddedReplacedRemovedAndSeenByDescribeUser() {
		String server = server();
		String user = user(server);
		String arn = describe(server, user).arn();

		transfer.tagResource((request) -> request.arn(arn).tags(tag("team", "billing"), tag("owner", "ops")));
		transfer.untagResource((request) -> request.arn(arn).tagKeys("owner", "not-there"));

		List<Tag> listed = transfer.listTagsForResourcePaginator((request) -> request.arn(arn).maxResults(1))
			.tags()
			.stream()
			.toList();
		assertThat(listed).containsExactly(tag("team", "billing"));
		assertThat(describe(server, user).tags()).containsExactlyElementsOf(listed);
		assertThat(transfer.listTagsForResource((request) -> request.arn(arn)).arn()).isEqualTo(arn);
	}

	@Test
	void tagsOnAServerAreSeenByDescribeServer() {
		String server = server();
		String arn = transfer.describeServer((request) -> request.serverId(server)).server().arn();

		transfer.tagResource((request) -> request.arn(arn).tags(tag("env", "test"), tag("cost-centre", "42")));
		transfer.untagResource((request) -> request.arn(arn).tagKeys("env"));

		assertThat(transfer.listTagsForResource((request) -> request.arn(arn)).tags())
			.containsExactly(tag("cost-centre", "42"));
		assertThat(transfer.describeServer((request) -> request.serverId(server)).server().tags())
			.containsExactly(tag("cost-centre", "42"));
	}

	@Test
	void taggingAResourceThatDoesNotExistIsResourceNotFound() {
		String arn = "arn:aws:transfer:us-east-1:" + AwsFixtures.ACCOUNT + ":user/" + MISSING_SERVER + "/nobody";

		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> transfer.tagResource((request) -> request.arn(arn).tags(tag("a", "b"))))
			.satisfies((ex) -> assertThat(ex.resource()).isEqualTo(arn));
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> transfer.untagResource((request) -> request.arn(arn).tagKeys("a")));
	}

	@Test
	void hostKeysAreListedConsistentlyWithDescribeServer() {
		String server = server();

		ListHostKeysResponse listed = transfer.listHostKeys((request) -> request.serverId(server));

		assertThat(listed.serverId()).isEqualTo(server);
		assertThat(listed.hostKeys()).extracting(ListedHostKey::type).containsExactly("ssh-rsa", "ssh-ed25519");
		assertThat(listed.hostKeys()).allSatisfy((key) -> {
			assertThat(key.hostKeyId()).matches("hostkey-[0-9a-f]{17}");
			assertThat(key.fingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
			assertThat(key.arn()).isEqualTo("arn:aws:transfer:us-east-1:" + AwsFixtures.ACCOUNT + ":host-key/" + server
					+ "/" + key.hostKeyId());
			assertThat(key.dateImported()).isNotNull();
			assertThat(key.description()).isNotBlank();
		});
		assertThat(listed.hostKeys()).extracting(ListedHostKey::hostKeyId).doesNotHaveDuplicates();
		assertThat(transfer.describeServer((request) -> request.serverId(server)).server().hostKeyFingerprint())
			.isEqualTo(listed.hostKeys().get(0).fingerprint());
		assertThat(transfer.listHostKeys((request) -> request.serverId(server)).hostKeys()).as("the same every time")
			.isEqualTo(listed.hostKeys());

		ListHostKeysResponse first = transfer.listHostKeys((request) -> request.serverId(server).maxResults(1));
		assertThat(first.hostKeys()).containsExactly(listed.hostKeys().get(0));
		assertThat(transfer.listHostKeys((request) -> request.serverId(server).nextToken(first.nextToken())).hostKeys())
			.containsExactly(listed.hostKeys().get(1));
		assertThatExceptionOfType(InvalidNextTokenException.class)
			.isThrownBy(() -> transfer.listHostKeys((request) -> request.serverId(server).nextToken("not a token")));
	}

	@Test
	void aMissingServerIsResourceNotFoundForListHostKeysAndDescribeServer() {
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> transfer.listHostKeys((request) -> request.serverId(MISSING_SERVER)))
			.satisfies((ex) -> assertThat(ex.resourceType()).isEqualTo("Server"));
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> transfer.describeServer((request) -> request.serverId(MISSING_SERVER)))
			.satisfies((ex) -> {
				assertThat(ex.resourceType()).isEqualTo("Server");
				assertThat(ex.resource()).isEqualTo(MISSING_SERVER);
			});
	}

	private static String server() {
		return transfer
			.createServer((request) -> request.identityProviderType(IdentityProviderType.SERVICE_MANAGED)
				.protocols(Protocol.SFTP))
			.serverId();
	}

	private static String user(String server) {
		String user = AwsFixtures.unique("user");
		transfer.createUser((request) -> request.serverId(server)
			.userName(user)
			.role(ROLE)
			.homeDirectoryType(HomeDirectoryType.LOGICAL)
			.homeDirectoryMappings(HomeDirectoryMapEntry.builder().entry("/").target("/data/" + user).build())
			.policy(POLICY)
			.sshPublicKeyBody(TestKeys.ED25519_A)
			.tags(tag("team", "payments")));
		return user;
	}

	private static DescribedUser describe(String server, String user) {
		return transfer.describeUser((request) -> request.serverId(server).userName(user)).user();
	}

	private static Tag tag(String key, String value) {
		return Tag.builder().key(key).value(value).build();
	}

}
