package io.transferportal.provisioning.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedServer;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryMapEntry;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.Protocol;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;
import software.amazon.awssdk.services.transfer.model.Tag;
import software.amazon.awssdk.services.transfer.model.TransferException;

import org.springframework.stereotype.Component;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.AppliedChange.Outcome;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlanProblem;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ProvisioningLocks;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.ProvisioningStep;
import io.transferportal.provisioning.core.StepPlan;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.provisioning.validation.SshPublicKeys;

/**
 * Ensures the Transfer user: the role it assumes, a LOGICAL home directory chrooted to
 * {@code /bucket/prefix}, the session policy and exactly the requested SSH keys. Session
 * policy and user are two resources in the plan but one AWS object, written by one
 * CreateUser or UpdateUser call.
 */
@Component
class TransferUserStep implements ProvisioningStep {

	/** AWS Transfer: "The maximum length of a session policy is 2048 characters". */
	static final int MAX_SESSION_POLICY_CHARS = 2048;

	private final TransferClient transfer;

	private final ProvisioningLocks locks;

	TransferUserStep(TransferClient transfer, ProvisioningLocks locks) {
		this.transfer = transfer;
		this.locks = locks;
	}

	@Override
	public int getOrder() {
		return 400;
	}

	@Override
	public Set<ResourceKind> resources() {
		return Set.of(ResourceKind.SESSION_POLICY, ResourceKind.TRANSFER_USER);
	}

	@Override
	public List<FieldViolation> checkInputs(Target target) {
		DescribedServer server;
		try {
			server = this.transfer.describeServer((request) -> request.serverId(target.serverId())).server();
		}
		catch (TransferException ex) {
			if (AwsErrors.isNotFound(ex)) {
				return List.of(new FieldViolation("serverId",
						"no Transfer server " + target.serverId() + " exists in this account and region"));
			}
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DescribeServer " + target.serverId(), ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DescribeServer " + target.serverId(), ex);
		}
		List<FieldViolation> violations = new ArrayList<>();
		if (server.identityProviderType() != null
				&& server.identityProviderType() != IdentityProviderType.SERVICE_MANAGED) {
			violations.add(new FieldViolation("serverId",
					"server " + target.serverId() + " uses identity provider " + server.identityProviderTypeAsString()
							+ "; the portal can only add users to servers with service-managed identities"));
		}
		if (server.hasProtocols() && !server.protocols().contains(Protocol.SFTP)) {
			violations.add(new FieldViolation("serverId",
					"server " + target.serverId() + " offers " + server.protocolsAsStrings()
							+ " but not SFTP; FTP/FTPS and password logins need a custom "
							+ "identity provider, while the portal creates service-managed SFTP users with SSH keys"));
		}
		return violations;
	}

	@Override
	public StepPlan plan(Target target) {
		DescribedUser user = describe(target);
		List<PlanProblem> problems = new ArrayList<>();
		int sessionPolicyLength = Policies.compact(target.sessionPolicy()).length();
		if (sessionPolicyLength > MAX_SESSION_POLICY_CHARS) {
			problems.add(new PlanProblem(ResourceKind.SESSION_POLICY, "The session policy would be "
					+ sessionPolicyLength + " characters; AWS Transfer allows " + MAX_SESSION_POLICY_CHARS));
		}
		String desiredPolicy = Policies.pretty(target.sessionPolicy());
		String desiredUser = userDocument(target.roleArn(), HomeDirectoryType.LOGICAL.toString(), null,
				List.of(target.homeTarget()), target.sshKeys().stream().map(SshPublicKeys.ParsedKey::body).toList());
		if (user == null) {
			return new StepPlan(List.of(new PlannedChange(ResourceKind.SESSION_POLICY, target.userArn(),
					ChangeAction.CREATE, null, desiredPolicy,
					"Set session policy: home folder " + target.homeTarget() + " and the KMS statement", List.of()),
					new PlannedChange(ResourceKind.TRANSFER_USER, target.userArn(), ChangeAction.CREATE, null,
							desiredUser,
							"Create user " + target.userName() + " on " + target.serverId() + ", chrooted to "
									+ target.homeTarget() + ", with " + target.sshKeys().size() + " SSH key(s)",
							List.of())),
					problems);
		}
		if (!isManaged(user)) {
			problems.add(new PlanProblem(ResourceKind.TRANSFER_USER, "User " + target.userName() + " exists on "
					+ target.serverId() + " but was not created by the portal"));
		}
		Difference difference = Difference.of(user, target);
		IamPolicy currentPolicy = difference.currentPolicy();
		PlannedChange sessionPolicy = !difference.policy()
				? PlannedChange.none(ResourceKind.SESSION_POLICY, target.userArn(), desiredPolicy,
						"Session policy is as required")
				: new PlannedChange(ResourceKind.SESSION_POLICY, target.userArn(), ChangeAction.UPDATE,
						(currentPolicy != null) ? Policies.pretty(currentPolicy) : user.policy(), desiredPolicy,
						(currentPolicy != null)
								? "Repair session policy: "
										+ Policies.describeDifference(currentPolicy, target.sessionPolicy())
								: "Set the missing session policy",
						List.of());
		PlannedChange transferUser = !difference.userFields()
				? PlannedChange.none(ResourceKind.TRANSFER_USER, target.userArn(), desiredUser, "User is as required")
				: new PlannedChange(ResourceKind.TRANSFER_USER, target.userArn(), ChangeAction.UPDATE,
						currentDocument(user), desiredUser, "Update user: " + difference.describe(), List.of());
		return new StepPlan(List.of(sessionPolicy, transferUser), problems);
	}

	@Override
	public List<AppliedChange> apply(Target target) {
		return this.locks.withLock(lockName(target), () -> {
			DescribedUser user = describe(target);
			if (user == null) {
				user = create(target);
				if (user == null) {
					return createdResults(target);
				}
			}
			return converge(target, user);
		});
	}

	/**
	 * Creates the user and imports its keys; returns the user found instead if it already
	 * existed.
	 */
	private @Nullable DescribedUser create(Target target) {
		try {
			this.transfer.createUser((request) -> request.serverId(target.serverId())
				.userName(target.userName())
				.role(target.roleArn())
				.homeDirectoryType(HomeDirectoryType.LOGICAL)
				.homeDirectoryMappings(mapping(target))
				.policy(Policies.compact(target.sessionPolicy()))
				.tags(target.tags()
					.entrySet()
					.stream()
					.map((tag) -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
					.toList()));
		}
		catch (TransferException ex) {
			if (AwsErrors.isAlreadyExists(ex)) {
				// idempotent: an earlier attempt created it; converge on what is there
				DescribedUser existing = describe(target);
				if (existing != null) {
					return existing;
				}
			}
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "CreateUser " + target.userName(), ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "CreateUser " + target.userName(), ex);
		}
		target.sshKeys().forEach((key) -> importKey(target, key));
		return null;
	}

	private List<AppliedChange> createdResults(Target target) {
		return List.of(
				new AppliedChange(ResourceKind.SESSION_POLICY, target.userArn(), Outcome.CREATED, null,
						Policies.pretty(target.sessionPolicy()), "Session policy set"),
				new AppliedChange(ResourceKind.TRANSFER_USER, target.userArn(), Outcome.CREATED, null,
						userDocument(target.roleArn(), HomeDirectoryType.LOGICAL.toString(), null,
								List.of(target.homeTarget()),
								target.sshKeys().stream().map(SshPublicKeys.ParsedKey::body).toList()),
						"Created user " + target.userName() + " with " + target.sshKeys().size() + " SSH key(s)"));
	}

	private List<AppliedChange> converge(Target target, DescribedUser user) {
		if (!isManaged(user)) {
			throw new ProvisioningException(ResourceKind.TRANSFER_USER,
					"User " + target.userName() + " exists but was not created by the portal; nothing written");
		}
		Difference difference = Difference.of(user, target);
		String beforePolicy = (difference.currentPolicy() != null) ? Policies.pretty(difference.currentPolicy())
				: user.policy();
		String beforeUser = currentDocument(user);
		if (difference.policy() || difference.role() || difference.home()) {
			update(target);
		}
		difference.missingKeys().forEach((key) -> importKey(target, key));
		difference.extraKeys().forEach((key) -> deleteKey(target, key));
		String afterUser = userDocument(target.roleArn(), HomeDirectoryType.LOGICAL.toString(), null,
				List.of(target.homeTarget()), target.sshKeys().stream().map(SshPublicKeys.ParsedKey::body).toList());
		return List.of(
				difference.policy()
						? new AppliedChange(ResourceKind.SESSION_POLICY, target.userArn(), Outcome.UPDATED,
								beforePolicy, Policies.pretty(target.sessionPolicy()), "Session policy repaired")
						: new AppliedChange(ResourceKind.SESSION_POLICY, target.userArn(), Outcome.UNCHANGED,
								beforePolicy, beforePolicy, "Session policy already as required"),
				difference.userFields()
						? new AppliedChange(ResourceKind.TRANSFER_USER, target.userArn(), Outcome.UPDATED, beforeUser,
								afterUser, "Updated user: " + difference.describe())
						: new AppliedChange(ResourceKind.TRANSFER_USER, target.userArn(), Outcome.UNCHANGED, beforeUser,
								beforeUser, "User already as required"));
	}

	/**
	 * UpdateUser replaces role, home directory and session policy in one call.
	 * (moto_server does not implement it; this path is covered by
	 * {@code TransferUserStepTests}.)
	 */
	private void update(Target target) {
		try {
			this.transfer.updateUser((request) -> request.serverId(target.serverId())
				.userName(target.userName())
				.role(target.roleArn())
				.homeDirectoryType(HomeDirectoryType.LOGICAL)
				.homeDirectoryMappings(mapping(target))
				.policy(Policies.compact(target.sessionPolicy())));
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "UpdateUser " + target.userName(), ex);
		}
	}

	private void importKey(Target target, SshPublicKeys.ParsedKey key) {
		try {
			this.transfer.importSshPublicKey((request) -> request.serverId(target.serverId())
				.userName(target.userName())
				.sshPublicKeyBody(key.body()));
		}
		catch (TransferException ex) {
			if (!AwsErrors.isAlreadyExists(ex)) {
				throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "ImportSshPublicKey " + key.fingerprint(), ex);
			}
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "ImportSshPublicKey " + key.fingerprint(), ex);
		}
	}

	private void deleteKey(Target target, SshPublicKey key) {
		try {
			this.transfer.deleteSshPublicKey((request) -> request.serverId(target.serverId())
				.userName(target.userName())
				.sshPublicKeyId(key.sshPublicKeyId()));
		}
		catch (TransferException ex) {
			if (!AwsErrors.isNotFound(ex)) {
				throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DeleteSshPublicKey " + key.sshPublicKeyId(), ex);
			}
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DeleteSshPublicKey " + key.sshPublicKeyId(), ex);
		}
	}

	@Override
	public StepPlan planRemoval(Target target, Sharing sharing) {
		DescribedUser user = describe(target);
		if (user == null) {
			return StepPlan.of(PlannedChange.none(ResourceKind.SESSION_POLICY, target.userArn(), null, "Already gone"),
					PlannedChange.none(ResourceKind.TRANSFER_USER, target.userArn(), null, "User already gone"));
		}
		List<PlanProblem> problems = isManaged(user) ? List.of() : List.of(new PlanProblem(ResourceKind.TRANSFER_USER,
				"User " + target.userName() + " was not created by the portal; it is not deleted"));
		String policy = (user.policy() != null && !user.policy().isBlank()) ? prettyOrRaw(user.policy()) : null;
		return new StepPlan(
				List.of(new PlannedChange(
						ResourceKind.SESSION_POLICY, target.userArn(), ChangeAction.DELETE, policy, null,
						"Session policy goes with the user", List.of()),
						new PlannedChange(ResourceKind.TRANSFER_USER, target.userArn(), ChangeAction.DELETE,
								currentDocument(user), null,
								"Delete user " + target.userName() + " from " + target.serverId(),
								List.of("The user can no longer log in; files in " + target.homeTarget()
										+ " are kept."))),
				problems);
	}

	@Override
	public List<AppliedChange> remove(Target target, List<PlannedChange> approved) {
		boolean delete = approved.stream()
			.anyMatch((change) -> change.resource() == ResourceKind.TRANSFER_USER
					&& change.action() == ChangeAction.DELETE);
		if (!delete) {
			return List.of();
		}
		return this.locks.withLock(lockName(target), () -> {
			DescribedUser user = describe(target);
			if (user == null) {
				return List.of(new AppliedChange(ResourceKind.TRANSFER_USER, target.userArn(), Outcome.UNCHANGED, null,
						null, "User already gone"));
			}
			try {
				this.transfer.deleteUser((request) -> request.serverId(target.serverId()).userName(target.userName()));
			}
			catch (TransferException ex) {
				if (!AwsErrors.isNotFound(ex)) {
					throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DeleteUser " + target.userName(), ex);
				}
			}
			catch (SdkException ex) {
				throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DeleteUser " + target.userName(), ex);
			}
			String policy = (user.policy() != null && !user.policy().isBlank()) ? prettyOrRaw(user.policy()) : null;
			return List.of(
					new AppliedChange(ResourceKind.SESSION_POLICY, target.userArn(), Outcome.DELETED, policy, null,
							"Session policy deleted with the user"),
					new AppliedChange(ResourceKind.TRANSFER_USER, target.userArn(), Outcome.DELETED,
							currentDocument(user), null, "Deleted user " + target.userName()));
		});
	}

	private @Nullable DescribedUser describe(Target target) {
		try {
			return this.transfer
				.describeUser((request) -> request.serverId(target.serverId()).userName(target.userName()))
				.user();
		}
		catch (TransferException ex) {
			if (AwsErrors.isNotFound(ex) && !"ServerNotFound".equals(AwsErrors.code(ex))) {
				return null;
			}
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DescribeUser " + target.userName(), ex);
		}
		catch (SdkException ex) {
			throw AwsErrors.failure(ResourceKind.TRANSFER_USER, "DescribeUser " + target.userName(), ex);
		}
	}

	private static HomeDirectoryMapEntry mapping(Target target) {
		return HomeDirectoryMapEntry.builder().entry("/").target(target.homeTarget()).build();
	}

	private static boolean isManaged(DescribedUser user) {
		return user.hasTags() && user.tags()
			.stream()
			.anyMatch((tag) -> Target.MANAGED_TAG.equals(tag.key()) && Target.MANAGED_TAG_VALUE.equals(tag.value()));
	}

	private static String lockName(Target target) {
		return "transfer-user:" + target.serverId() + "/" + target.userName();
	}

	private static String currentDocument(DescribedUser user) {
		List<String> targets = user.hasHomeDirectoryMappings()
				? user.homeDirectoryMappings().stream().map((entry) -> entry.entry() + " -> " + entry.target()).toList()
				: List.of();
		List<String> keys = user.hasSshPublicKeys()
				? user.sshPublicKeys().stream().map(SshPublicKey::sshPublicKeyBody).toList() : List.of();
		return userDocument(user.role(), user.homeDirectoryTypeAsString(), user.homeDirectory(), targets, keys);
	}

	private static String userDocument(@Nullable String role, @Nullable String homeType, @Nullable String home,
			List<String> mappings, List<String> keyBodies) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("Role", role);
		document.put("HomeDirectoryType", homeType);
		if (home != null && !home.isEmpty()) {
			document.put("HomeDirectory", home);
		}
		document.put("HomeDirectoryMappings",
				mappings.stream().map((target) -> target.contains(" -> ") ? target : "/ -> " + target).toList());
		document.put("SshPublicKeys", keyBodies.stream().map(TransferUserStep::describeKey).sorted().toList());
		return Documents.pretty(document);
	}

	/** A key as a person compares them: type, fingerprint and comment. */
	private static String describeKey(String body) {
		try {
			SshPublicKeys.ParsedKey key = SshPublicKeys.parse(body, 0);
			return key.type() + " " + key.fingerprint() + ((key.comment() != null) ? " " + key.comment() : "");
		}
		catch (IllegalArgumentException ex) {
			return "unreadable key: " + body.split("\\s+")[0];
		}
	}

	private static String prettyOrRaw(String policy) {
		try {
			return Policies.pretty(Policies.parse(policy));
		}
		catch (IllegalArgumentException ex) {
			return policy;
		}
	}

	/** How the live user differs from the target. */
	private record Difference(boolean role, boolean home, boolean policy, @Nullable IamPolicy currentPolicy,
			List<SshPublicKeys.ParsedKey> missingKeys, List<SshPublicKey> extraKeys) {

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
			Set<String> wanted = new LinkedHashSet<>(
					target.sshKeys().stream().map(SshPublicKeys.ParsedKey::identity).toList());
			if (user.hasSshPublicKeys()) {
				for (SshPublicKey key : user.sshPublicKeys()) {
					String identity = identity(key.sshPublicKeyBody());
					if (wanted.contains(identity) && live.add(identity)) {
						continue;
					}
					extra.add(key); // not requested, or a duplicate import
				}
			}
			List<SshPublicKeys.ParsedKey> missing = target.sshKeys()
				.stream()
				.filter((key) -> !live.contains(key.identity()))
				.toList();
			return new Difference(role, home, policy, current, missing, extra);
		}

		private static String identity(String body) {
			String[] parts = body.strip().split("[ \t]+");
			return (parts.length >= 2) ? parts[0] + " " + parts[1] : body.strip();
		}

		boolean userFields() {
			return this.role || this.home || !this.missingKeys.isEmpty() || !this.extraKeys.isEmpty();
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
			return String.join(", ", parts);
		}

	}

}
