package io.transferportal.provisioning.transfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedServer;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.Domain;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryMapEntry;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.Protocol;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;
import software.amazon.awssdk.services.transfer.model.Tag;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.SshKey;
import io.transferportal.provisioning.Verification.SshKeysSeen;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Tags;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.validation.SshPublicKeys;
import io.transferportal.provisioning.validation.SshPublicKeys.ParsedKey;

/**
 * The Transfer user: the role it assumes, a LOGICAL home directory chrooted to
 * {@code /bucket/prefix}, the session policy and exactly the requested SSH keys. Session
 * policy and user are two entries in the plan but one AWS object, written by one
 * CreateUser or UpdateUser call (plus one call per SSH key imported or deleted; a new
 * user's first key goes in its CreateUser).
 */
@Component
class TransferUser implements UserResource<DescribedUser, TransferUser.Work> {

	/** AWS Transfer: "The maximum length of a session policy is 2048 characters". */
	static final int MAX_SESSION_POLICY_CHARS = 2048;

	private static final ResourceKind USER = ResourceKind.TRANSFER_USER;

	private static final ResourceKind POLICY = ResourceKind.SESSION_POLICY;

	private final TransferClient transfer;

	private final TransferServers servers;

	TransferUser(TransferClient transfer, TransferServers servers) {
		this.transfer = transfer;
		this.servers = servers;
	}

	@Override
	public int getOrder() {
		return 400;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(POLICY, USER);
	}

	@Override
	public List<FieldViolation> checkInputs(Target target) {
		return serverViolations(target.serverId(), this.servers.describe(target.serverId()));
	}

	/**
	 * Why users of this server cannot be managed by the portal; empty when they can.
	 * @param server the server as read, {@code null} when it does not exist
	 */
	static List<FieldViolation> serverViolations(String serverId, @Nullable DescribedServer server) {
		if (server == null) {
			return List.of(new FieldViolation("serverId",
					"no Transfer server " + serverId + " exists in this account and region"));
		}
		List<FieldViolation> violations = new ArrayList<>();
		if (!storesOnS3(server.domain())) {
			violations.add(new FieldViolation("serverId", "server " + serverId
					+ " stores files on Amazon EFS; the portal creates users on Amazon S3 servers only (EFS users "
					+ "need POSIX profiles, and EFS takes no session policy)"));
		}
		if (server.identityProviderType() != null
				&& server.identityProviderType() != IdentityProviderType.SERVICE_MANAGED) {
			violations.add(new FieldViolation("serverId",
					"server " + serverId + " uses identity provider " + server.identityProviderTypeAsString()
							+ "; the portal can only add users to servers with service-managed identities"));
		}
		if (server.hasProtocols() && !server.protocols().contains(Protocol.SFTP)) {
			violations.add(new FieldViolation("serverId",
					"server " + serverId + " offers " + server.protocolsAsStrings()
							+ " but not SFTP; FTP/FTPS and password logins need a custom "
							+ "identity provider, while the portal creates service-managed SFTP users with SSH keys"));
		}
		return violations;
	}

	/**
	 * Session policies exist only for S3: "This policy applies only when the domain of
	 * ServerId is Amazon S3. Amazon EFS does not use session policies."
	 * (https://docs.aws.amazon.com/transfer/latest/APIReference/API_CreateUser.html). A
	 * server created without a domain is an S3 server.
	 */
	static boolean storesOnS3(@Nullable Domain domain) {
		return domain == null || domain == Domain.S3;
	}

	@Override
	public @Nullable DescribedUser read(Target target) {
		// a user on a server that is gone is an error naming the server, not a missing
		// user a repair would create again
		return AwsErrors.findOrNull(USER, "DescribeUser " + target.userName(), "Transfer server " + target.serverId(),
				() -> this.transfer
					.describeUser((request) -> request.serverId(target.serverId()).userName(target.userName()))
					.user());
	}

	@Override
	public Decision<Work> decide(Target target, @Nullable DescribedUser user) {
		String desiredPolicy = Policies.pretty(target.sessionPolicy());
		String desiredUser = desiredDocument(target, (user != null) ? tags(user) : Map.of());
		List<PlanProblem> problems = new ArrayList<>();
		int sessionPolicyLength = Policies.compact(target.sessionPolicy()).length();
		if (sessionPolicyLength > MAX_SESSION_POLICY_CHARS) {
			problems.add(new PlanProblem(POLICY, "The session policy would be " + sessionPolicyLength
					+ " characters; AWS Transfer allows " + MAX_SESSION_POLICY_CHARS));
		}
		if (user == null) {
			return new Decision<>(
					List.of(new PlannedChange(POLICY, target.userArn(), ChangeAction.CREATE, null, desiredPolicy,
							"Set session policy: home folder " + target.homeTarget() + " and the KMS statement",
							List.of()),
							new PlannedChange(USER, target.userArn(), ChangeAction.CREATE, null, desiredUser,
									"Create user " + target.userName() + " on " + target.serverId() + ", chrooted to "
											+ target.homeTarget() + ", " + keysOnCreate(target.sshKeys().size()),
									List.of())),
					problems, Work.create(target.sshKeys()));
		}
		if (!isManaged(user)) {
			problems.add(notCreatedByPortal(target));
		}
		Difference difference = Difference.of(user, target);
		IamPolicy currentPolicy = difference.currentPolicy();
		PlannedChange sessionPolicy = !difference.policy()
				? PlannedChange.none(POLICY, target.userArn(), desiredPolicy, "Session policy is as required")
				: new PlannedChange(POLICY, target.userArn(), ChangeAction.UPDATE,
						(currentPolicy != null) ? Policies.pretty(currentPolicy) : user.policy(), desiredPolicy,
						(currentPolicy != null)
								? "Repair session policy: "
										+ Policies.describeDifference(currentPolicy, target.sessionPolicy())
								: "Set the missing session policy",
						List.of());
		PlannedChange transferUser = !difference.userFields()
				? PlannedChange.none(USER, target.userArn(), desiredUser, "User is as required")
				: new PlannedChange(USER, target.userArn(), ChangeAction.UPDATE, currentDocument(user), desiredUser,
						"Update user: " + difference.describe(), List.of());
		Work work = (difference.policy() || difference.userFields()) ? Work.update(difference) : null;
		return new Decision<>(List.of(sessionPolicy, transferUser), problems, work);
	}

	/**
	 * Adoption: a user that exists without the portal's mark is taken over (tagged as
	 * managed; role, home folder, session policy and SSH keys set as the request says)
	 * instead of refused. A user that is gone is not created: there is nothing to adopt.
	 * One that already carries the mark was tagged by an earlier, interrupted run of this
	 * adoption and converges like any managed user (the adoption request itself refuses
	 * users the portal manages).
	 */
	@Override
	public Decision<Work> decideAdoption(Target target, @Nullable DescribedUser user) {
		if (user == null) {
			PlanProblem gone = new PlanProblem(USER, "User " + target.userName() + " does not exist on "
					+ target.serverId() + "; there is nothing to adopt");
			return Decision.refused(gone, PlannedChange.none(POLICY, target.userArn(), null, "No user to adopt"),
					PlannedChange.none(USER, target.userArn(), null, "No user to adopt"));
		}
		Decision<Work> converge = decide(target, user);
		if (isManaged(user)) {
			return converge;
		}
		List<PlanProblem> problems = converge.problems()
			.stream()
			.filter((problem) -> !problem.equals(notCreatedByPortal(target)))
			.toList();
		List<String> warnings = new ArrayList<>();
		warnings.add("The portal takes this user over: from now on it keeps its role, home folder, session policy "
				+ "and SSH keys as approved, reports changes made elsewhere as drift, and removes the user on "
				+ "deprovisioning. Tags others set stay.");
		if (Difference.of(user, target).home()) {
			warnings.add("The home directory changes from " + currentHome(user) + " to " + target.homeTarget()
					+ " (chrooted); files elsewhere are not moved and the user no longer sees them.");
		}
		List<PlannedChange> changes = converge.changes()
			.stream()
			.map((change) -> (change.resource() != USER) ? change
					: new PlannedChange(USER, change.resourceArn(), change.action(), change.before(), change.after(),
							"Adopt user " + target.userName() + " on " + target.serverId() + ": "
									+ ((change.action() == ChangeAction.NONE) ? "tag it as managed" : change.summary()),
							warnings))
			.toList();
		return new Decision<>(changes, problems, converge.work());
	}

	/**
	 * How the keys of a new user are written: the first with CreateUser, the rest after.
	 */
	private static String keysOnCreate(int keys) {
		if (keys == 0) {
			return "with no SSH key";
		}
		return "with 1 SSH key" + ((keys > 1) ? ", then import " + (keys - 1) + " more" : "");
	}

	private static PlanProblem notCreatedByPortal(Target target) {
		return new PlanProblem(USER,
				"User " + target.userName() + " exists on " + target.serverId() + " but was not created by the portal");
	}

	private static String currentHome(DescribedUser user) {
		if (user.homeDirectoryType() == HomeDirectoryType.LOGICAL && user.hasHomeDirectoryMappings()) {
			return String.join(", ",
					user.homeDirectoryMappings()
						.stream()
						.map((entry) -> entry.entry() + " -> " + entry.target())
						.toList());
		}
		return (user.homeDirectory() != null && !user.homeDirectory().isEmpty()) ? user.homeDirectory()
				: "none (the bucket root)";
	}

	@Override
	public Decision<Work> decideRemoval(Target target, @Nullable DescribedUser user, Sharing sharing) {
		if (user == null) {
			return Decision.none(PlannedChange.none(POLICY, target.userArn(), null, "Already gone"),
					PlannedChange.none(USER, target.userArn(), null, "User already gone"));
		}
		String policy = (user.policy() != null && !user.policy().isBlank()) ? prettyOrRaw(user.policy()) : null;
		Decision<Work> decision = Decision.write(Work.DELETE,
				new PlannedChange(POLICY, target.userArn(), ChangeAction.DELETE, policy, null,
						"Session policy goes with the user", List.of()),
				new PlannedChange(USER, target.userArn(), ChangeAction.DELETE, currentDocument(user), null,
						"Delete user " + target.userName() + " from " + target.serverId(),
						List.of("The user can no longer log in; files in " + target.homeTarget() + " are kept.")));
		return isManaged(user) ? decision : decision.withProblem(new PlanProblem(USER,
				"User " + target.userName() + " was not created by the portal; it is not deleted"));
	}

	/**
	 * CreateUser fails with {@code ResourceExistsException} when the server has a user of
	 * that name
	 * (https://docs.aws.amazon.com/transfer/latest/APIReference/API_CreateUser.html#API_CreateUser_Errors).
	 */
	@Override
	public boolean createsWithoutReading(Set<ResourceKind> createdInThisRun) {
		return true;
	}

	@Override
	public void write(Target target, Work work) {
		String user = target.userName();
		ParsedKey createKey = work.createKey();
		switch (work.action()) {
			// CreateUser takes one key, SshPublicKeyBody: "The public portion of the
			// Secure
			// Shell (SSH) key used to authenticate the user to the server"
			// (https://docs.aws.amazon.com/transfer/latest/APIReference/API_CreateUser.html);
			// one write less than importing it. A run interrupted after CreateUser finds
			// that key and imports only the missing ones.
			case CREATE -> AwsErrors.call(USER, "CreateUser " + user,
					() -> this.transfer.createUser((request) -> request.serverId(target.serverId())
						.userName(user)
						.role(target.roleArn())
						.homeDirectoryType(HomeDirectoryType.LOGICAL)
						.homeDirectoryMappings(mapping(target))
						.policy(Policies.compact(target.sessionPolicy()))
						.sshPublicKeyBody((createKey != null) ? createKey.body() : null)
						.tags(transferTags(target.tags()))));
			// moto lacks UpdateUser; the tests' emulator adds it
			// (src/main/resources/emulator/transfer_extensions.py)
			case UPDATE -> {
				if (work.updateUser()) {
					AwsErrors.call(USER, "UpdateUser " + user,
							() -> this.transfer.updateUser((request) -> request.serverId(target.serverId())
								.userName(user)
								.role(target.roleArn())
								.homeDirectoryType(HomeDirectoryType.LOGICAL)
								.homeDirectoryMappings(mapping(target))
								.policy(Policies.compact(target.sessionPolicy()))));
				}
			}
			case DELETE -> AwsErrors.runIgnoring(USER, "DeleteUser " + user, AwsErrors::isNotFound,
					() -> this.transfer.deleteUser((request) -> request.serverId(target.serverId()).userName(user)));
		}
		if (!work.tags().isEmpty()) {
			AwsErrors.call(USER, "TagResource " + user, () -> this.transfer
				.tagResource((request) -> request.arn(target.userArn()).tags(transferTags(work.tags()))));
		}
		if (!work.untagKeys().isEmpty()) {
			AwsErrors.call(USER, "UntagResource " + user, () -> this.transfer
				.untagResource((request) -> request.arn(target.userArn()).tagKeys(work.untagKeys())));
		}
		for (ParsedKey key : work.importKeys()) {
			// already there: an interrupted earlier run imported it
			AwsErrors.runIgnoring(USER, "ImportSshPublicKey " + key.fingerprint(), AwsErrors::isAlreadyExists,
					() -> this.transfer.importSshPublicKey((request) -> request.serverId(target.serverId())
						.userName(user)
						.sshPublicKeyBody(key.body())));
		}
		for (String keyId : work.deleteKeyIds()) {
			AwsErrors.runIgnoring(USER, "DeleteSshPublicKey " + keyId, AwsErrors::isNotFound,
					() -> this.transfer.deleteSshPublicKey(
							(request) -> request.serverId(target.serverId()).userName(user).sshPublicKeyId(keyId)));
		}
	}

	/**
	 * The requested SSH keys with the date Transfer imported each; a requested key the
	 * user lacks has none (verification reports it).
	 */
	List<SshKey> sshKeys(Target target) {
		DescribedUser user = read(target);
		Map<String, Instant> imported = new LinkedHashMap<>();
		if (user != null && user.hasSshPublicKeys()) {
			for (SshPublicKey key : user.sshPublicKeys()) {
				imported.putIfAbsent(SshPublicKeys.identity(key.sshPublicKeyBody()), key.dateImported());
			}
		}
		return target.sshKeys()
			.stream()
			.map((key) -> new SshKey(key.fingerprint(), key.type(), key.comment(), imported.get(key.identity())))
			.toList();
	}

	/** Every key the user holds, requested or not; the oldest by DateImported. */
	@Override
	public SshKeysSeen sshKeysSeen(@Nullable DescribedUser user) {
		if (user == null || !user.hasSshPublicKeys()) {
			return SshKeysSeen.NONE;
		}
		Instant oldest = user.sshPublicKeys()
			.stream()
			.map(SshPublicKey::dateImported)
			.filter(Objects::nonNull)
			.min(Comparator.naturalOrder())
			.orElse(null);
		return new SshKeysSeen(user.sshPublicKeys().size(), oldest);
	}

	/** A racing CreateUser (moto, or two runs) can leave two users; one at a time. */
	@Override
	public String lockName(Target target) {
		return "transfer-user:" + target.serverId() + "/" + target.userName();
	}

	private static List<Tag> transferTags(Map<String, String> tags) {
		return tags.entrySet()
			.stream()
			.map((tag) -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
			.toList();
	}

	private static HomeDirectoryMapEntry mapping(Target target) {
		return HomeDirectoryMapEntry.builder().entry("/").target(target.homeTarget()).build();
	}

	private static boolean isManaged(DescribedUser user) {
		return Target.isManaged(tags(user));
	}

	/**
	 * The user as the request makes it; tags others added to a live user stay, so they
	 * are shown too, and tags a change removes are not.
	 */
	private static String desiredDocument(Target target, Map<String, String> liveTags) {
		return userDocument(target.roleArn(), HomeDirectoryType.LOGICAL.toString(), null,
				List.of("/ -> " + target.homeTarget()), target.sshKeys().stream().map(ParsedKey::body).toList(),
				Tags.after(target.tags(), liveTags, Tags.toRemove(target.removedTagKeys(), target.tags(), liveTags)));
	}

	private static String currentDocument(DescribedUser user) {
		List<String> mappings = user.hasHomeDirectoryMappings()
				? user.homeDirectoryMappings().stream().map((entry) -> entry.entry() + " -> " + entry.target()).toList()
				: List.of();
		List<String> keys = user.hasSshPublicKeys()
				? user.sshPublicKeys().stream().map(SshPublicKey::sshPublicKeyBody).toList() : List.of();
		return userDocument(user.role(), user.homeDirectoryTypeAsString(), user.homeDirectory(), mappings, keys,
				tags(user));
	}

	/** The user as the approver compares it: keys by type, fingerprint and comment. */
	private static String userDocument(@Nullable String role, @Nullable String homeType, @Nullable String home,
			List<String> mappings, List<String> keyBodies, Map<String, String> tags) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("Role", role);
		document.put("HomeDirectoryType", homeType);
		if (home != null && !home.isEmpty()) {
			document.put("HomeDirectory", home);
		}
		document.put("HomeDirectoryMappings", mappings);
		document.put("SshPublicKeys", keyBodies.stream().map(SshPublicKeys::describe).sorted().toList());
		document.put("Tags", Tags.sorted(tags));
		return Documents.pretty(document);
	}

	private static Map<String, String> tags(DescribedUser user) {
		return user.hasTags()
				? user.tags()
					.stream()
					.collect(LinkedHashMap::new, (tags, tag) -> tags.put(tag.key(), tag.value()), Map::putAll)
				: Map.of();
	}

	private static String prettyOrRaw(String policy) {
		try {
			return Policies.pretty(Policies.parse(policy));
		}
		catch (IllegalArgumentException ex) {
			return policy;
		}
	}

	/**
	 * What to write.
	 *
	 * @param action create, update or delete the user
	 * @param updateUser whether UpdateUser must set role, home directory and session
	 * policy
	 * @param createKey the key CreateUser sets, {@code null} for none
	 * @param importKeys keys to import (after CreateUser: the others)
	 * @param deleteKeyIds ids of keys to delete
	 * @param tags tags to set on an existing user
	 * @param untagKeys keys of the tags to remove from an existing user
	 */
	record Work(ChangeAction action, boolean updateUser, @Nullable ParsedKey createKey, List<ParsedKey> importKeys,
			List<String> deleteKeyIds, Map<String, String> tags, List<String> untagKeys) {

		static final Work DELETE = new Work(ChangeAction.DELETE, false, null, List.of(), List.of(), Map.of(),
				List.of());

		static Work create(List<ParsedKey> keys) {
			return keys.isEmpty()
					? new Work(ChangeAction.CREATE, false, null, List.of(), List.of(), Map.of(), List.of())
					: new Work(ChangeAction.CREATE, false, keys.get(0), List.copyOf(keys.subList(1, keys.size())),
							List.of(), Map.of(), List.of());
		}

		static Work update(Difference difference) {
			return new Work(ChangeAction.UPDATE, difference.policy() || difference.role() || difference.home(), null,
					difference.missingKeys(),
					difference.extraKeys().stream().map(SshPublicKey::sshPublicKeyId).toList(),
					difference.missingTags(), difference.removedTags());
		}

	}

	/** How the live user differs from the target. */
	record Difference(boolean role, boolean home, boolean policy, @Nullable IamPolicy currentPolicy,
			List<ParsedKey> missingKeys, List<SshPublicKey> extraKeys, Map<String, String> missingTags,
			List<String> removedTags) {

		static Difference of(DescribedUser user, Target target) {
			boolean role = !Objects.equals(user.role(), target.roleArn());
			boolean home = user.homeDirectoryType() != HomeDirectoryType.LOGICAL || !user.hasHomeDirectoryMappings()
					|| user.homeDirectoryMappings().size() != 1
					|| !"/".equals(user.homeDirectoryMappings().get(0).entry())
					|| !target.homeTarget().equals(user.homeDirectoryMappings().get(0).target());
			IamPolicy current = null;
			if (user.policy() != null && !user.policy().isBlank()) {
				try {
					current = Policies.parse(user.policy());
				}
				catch (IllegalArgumentException ex) {
					current = null; // unreadable counts as different
				}
			}
			boolean policy = current == null || !Policies.sameMeaning(current, target.sessionPolicy());
			Set<String> live = new LinkedHashSet<>();
			List<SshPublicKey> extra = new ArrayList<>();
			Set<String> wanted = new LinkedHashSet<>(target.sshKeys().stream().map(ParsedKey::identity).toList());
			if (user.hasSshPublicKeys()) {
				for (SshPublicKey key : user.sshPublicKeys()) {
					String identity = SshPublicKeys.identity(key.sshPublicKeyBody());
					if (wanted.contains(identity) && live.add(identity)) {
						continue;
					}
					extra.add(key); // not requested, or a duplicate import
				}
			}
			List<ParsedKey> missing = target.sshKeys()
				.stream()
				.filter((key) -> !live.contains(key.identity()))
				.toList();
			Map<String, String> liveTags = tags(user);
			return new Difference(role, home, policy, current, missing, extra, Tags.toSet(target.tags(), liveTags),
					Tags.toRemove(target.removedTagKeys(), target.tags(), liveTags));
		}

		boolean userFields() {
			return this.role || this.home || !this.missingKeys.isEmpty() || !this.extraKeys.isEmpty()
					|| !this.missingTags.isEmpty() || !this.removedTags.isEmpty();
		}

		String describe() {
			List<String> parts = new ArrayList<>();
			if (this.role) {
				parts.add("set the role");
			}
			if (this.home) {
				parts.add("restore the LOGICAL home directory");
			}
			if (!this.missingKeys.isEmpty()) {
				parts.add("import " + this.missingKeys.size() + " SSH key(s)");
			}
			if (!this.extraKeys.isEmpty()) {
				parts.add("delete " + this.extraKeys.size() + " SSH key(s) not in the request");
			}
			if (!this.missingTags.isEmpty()) {
				parts.add("set tags " + Tags.describe(this.missingTags));
			}
			if (!this.removedTags.isEmpty()) {
				parts.add(Tags.describeRemoval(this.removedTags));
			}
			return String.join(", ", parts);
		}

	}

}
