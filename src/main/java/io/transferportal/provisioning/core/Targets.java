package io.transferportal.provisioning.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.AwsAccount;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.provisioning.validation.SshPublicKeys;

/** Derives a {@link Target} from a validated request. */
@Component
public class Targets {

	private static final int MAX_ROLE_NAME = 64;

	/**
	 * Shared roles live below the portal's role path, so they are told from dedicated
	 * ones (and from existing roles) by their ARN alone.
	 */
	static final String SHARED_PATH = "shared/";

	private final AwsAccount account;

	private final ProvisioningProperties properties;

	Targets(AwsAccount account, ProvisioningProperties properties) {
		this.account = account;
		this.properties = properties;
	}

	public Target resolve(UserSpec spec) {
		return resolve(spec, List.of());
	}

	/**
	 * A new request as {@code portal.provisioning.role-mode} wants it: with the shared
	 * role of its bucket, key and access level in shared mode (unless it names an
	 * existing role). The request records the role, so a user keeps the kind of role it
	 * was provisioned with whatever the mode says later; a request without a role is a
	 * dedicated one.
	 */
	public UserSpec newRequest(UserSpec spec) {
		if (this.properties.roleMode() != ProvisioningProperties.RoleMode.SHARED || !spec.dedicatedRole()) {
			return spec;
		}
		String rolePath = this.properties.rolePath() + SHARED_PATH;
		return spec.withRoleArn("arn:" + this.account.partition() + ":iam::" + this.account.accountId() + ":role"
				+ rolePath + sharedRoleName(spec));
	}

	/**
	 * The target of a change from the approved {@code previous} settings: the tags it
	 * drops that the portal had set are removed.
	 */
	public Target resolveChange(UserSpec previous, UserSpec spec) {
		return resolve(spec, Tags.removable(previous.tags(), spec.tags()));
	}

	/**
	 * The target with these tags removed (as an approved plan recorded them); tags still
	 * asked for and the portal's own are kept whatever the list says.
	 */
	public Target resolve(UserSpec requested, List<String> removedTagKeys) {
		String accountId = this.account.accountId();
		String partition = this.account.partition();
		String userArn = "arn:" + partition + ":transfer:" + this.account.region() + ":" + accountId + ":user/"
				+ requested.serverId() + "/" + requested.userName();
		String roleName;
		String roleArn;
		String rolePolicyName;
		String rolePath = this.properties.rolePath();
		boolean shared = isSharedRole(requested);
		UserSpec spec = requested;
		if (shared) {
			// the role follows the bucket, key and access level (a change of level moves
			// the user to that level's role)
			rolePath = rolePath + SHARED_PATH;
			roleName = sharedRoleName(requested);
			roleArn = "arn:" + partition + ":iam::" + accountId + ":role" + rolePath + roleName;
			rolePolicyName = "transfer-portal-access";
			spec = requested.withRoleArn(roleArn);
		}
		else if (spec.dedicatedRole()) {
			roleName = dedicatedRoleName(spec);
			roleArn = "arn:" + partition + ":iam::" + accountId + ":role" + rolePath + roleName;
			rolePolicyName = "transfer-portal-access";
		}
		else {
			roleArn = spec.roleArn();
			roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
			// one policy per key, so users sharing an existing role with different keys
			// do not overwrite each other
			rolePolicyName = "transfer-portal-kms-" + spec.kmsKeyArn().substring(spec.kmsKeyArn().lastIndexOf('/') + 1);
		}
		String prefix = spec.effectiveHomePrefix();
		var homeFolderPolicy = TransferPolicies.homeFolderPolicy(partition, accountId, spec.bucket(), prefix,
				spec.kmsKeyArn(), spec.accessLevel());
		IamPolicy rolePolicy;
		IamPolicy trustPolicy = TransferPolicies.trustPolicy(accountId, userArn);
		if (shared) {
			rolePolicy = TransferPolicies.sharedRolePolicy(partition, accountId, spec.bucket(), spec.kmsKeyArn(),
					spec.accessLevel());
			trustPolicy = TransferPolicies.sharedTrustPolicy(partition, this.account.region(), accountId);
		}
		else {
			rolePolicy = spec.dedicatedRole() ? homeFolderPolicy : TransferPolicies.kmsOnlyPolicy(spec.kmsKeyArn());
		}
		List<SshPublicKeys.ParsedKey> keys = spec.sshPublicKeys()
			.stream()
			.map((key) -> SshPublicKeys.parse(key, this.properties.minRsaBits()))
			.toList();
		Map<String, String> tags = new LinkedHashMap<>(spec.tags());
		tags.put(Target.MANAGED_TAG, Target.MANAGED_TAG_VALUE);
		tags.put("transfer-portal:server", spec.serverId());
		tags.put("transfer-portal:user", spec.userName());
		return new Target(spec, accountId, partition, userArn, roleName, roleArn, rolePath, rolePolicyName,
				"arn:" + partition + ":s3:::" + spec.bucket(), prefix, spec.kmsKeyArn(), trustPolicy, rolePolicy,
				homeFolderPolicy, keys, tags,
				(spec.dedicatedRole() || shared) ? this.properties.permissionsBoundaryArn() : null, removedTagKeys,
				shared);
	}

	/**
	 * Whether the request names a shared role: one under the portal's own path for them
	 * (a request cannot name a role there that is not the shared role of its bucket, key
	 * and access level: the name is derived again).
	 */
	private boolean isSharedRole(UserSpec spec) {
		return spec.roleArn() != null && spec.roleArn().contains(":role" + this.properties.rolePath() + SHARED_PATH);
	}

	/**
	 * {@code <prefix>shared-<bucket>-<rw|ro>-<hash>}: one per bucket, key and access
	 * level, readable, and within IAM's 64 characters.
	 */
	private String sharedRoleName(UserSpec spec) {
		String hash = DigestUtils.sha256Hex(spec.bucket() + "/" + spec.kmsKeyArn() + "/" + spec.accessLevel())
			.substring(0, 8);
		String level = (spec.accessLevel() == AccessLevel.READ_ONLY) ? "ro" : "rw";
		String start = this.properties.rolePrefix() + "shared-";
		int room = MAX_ROLE_NAME - start.length() - level.length() - hash.length() - 2;
		String bucket = (spec.bucket().length() > room) ? spec.bucket().substring(0, room) : spec.bucket();
		return start + bucket + "-" + level + "-" + hash;
	}

	/**
	 * {@code <prefix><user>-<hash>}: readable, unique per server and user (IAM role names
	 * are case-insensitive, user names are not), and within IAM's 64 characters.
	 */
	private String dedicatedRoleName(UserSpec spec) {
		String hash = DigestUtils.sha256Hex(spec.serverId() + "/" + spec.userName()).substring(0, 8);
		int room = MAX_ROLE_NAME - this.properties.rolePrefix().length() - hash.length() - 1;
		String user = (spec.userName().length() > room) ? spec.userName().substring(0, room) : spec.userName();
		return this.properties.rolePrefix() + user + "-" + hash;
	}

}
