package io.transferportal.provisioning.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.AwsAccount;
import io.transferportal.provisioning.policy.TransferPolicies;
import io.transferportal.provisioning.validation.SshPublicKeys;

/** Derives a {@link Target} from a validated request. */
@Component
public class Targets {

	private static final int MAX_ROLE_NAME = 64;

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
	public Target resolve(UserSpec spec, List<String> removedTagKeys) {
		String accountId = this.account.accountId();
		String partition = this.account.partition();
		String userArn = "arn:" + partition + ":transfer:" + this.account.region() + ":" + accountId + ":user/"
				+ spec.serverId() + "/" + spec.userName();
		String roleName;
		String roleArn;
		String rolePolicyName;
		if (spec.dedicatedRole()) {
			roleName = dedicatedRoleName(spec);
			roleArn = "arn:" + partition + ":iam::" + accountId + ":role" + this.properties.rolePath() + roleName;
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
		var rolePolicy = spec.dedicatedRole() ? homeFolderPolicy : TransferPolicies.kmsOnlyPolicy(spec.kmsKeyArn());
		List<SshPublicKeys.ParsedKey> keys = spec.sshPublicKeys()
			.stream()
			.map((key) -> SshPublicKeys.parse(key, this.properties.minRsaBits()))
			.toList();
		Map<String, String> tags = new LinkedHashMap<>(spec.tags());
		tags.put(Target.MANAGED_TAG, Target.MANAGED_TAG_VALUE);
		tags.put("transfer-portal:server", spec.serverId());
		tags.put("transfer-portal:user", spec.userName());
		return new Target(spec, accountId, partition, userArn, roleName, roleArn, this.properties.rolePath(),
				rolePolicyName, "arn:" + partition + ":s3:::" + spec.bucket(), prefix, spec.kmsKeyArn(),
				TransferPolicies.trustPolicy(accountId, userArn), rolePolicy, homeFolderPolicy, keys, tags,
				spec.dedicatedRole() ? this.properties.permissionsBoundaryArn() : null, removedTagKeys);
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
