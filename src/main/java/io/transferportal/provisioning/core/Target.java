package io.transferportal.provisioning.core;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.validation.SshPublicKeys.ParsedKey;

/**
 * Everything derived from a validated {@link UserSpec}: names, ARNs and the desired
 * policy documents. Derivation is deterministic (no random names), so a retried or
 * re-planned request targets the same resources.
 *
 * @param spec the request
 * @param accountId the AWS account the portal provisions in
 * @param partition ARN partition
 * @param userArn the Transfer user's ARN
 * @param roleName name of the role the user assumes
 * @param roleArn ARN of that role
 * @param rolePath IAM path of a dedicated role
 * @param rolePolicyName the portal's inline policy on the role
 * @param bucketArn the bucket ARN
 * @param homePrefix the home folder inside the bucket, without slashes at either end
 * @param keyArn the KMS key ARN
 * @param trustPolicy trust policy of a dedicated role
 * @param rolePolicy the portal's inline role policy
 * @param sessionPolicy the Transfer user's session policy
 * @param sshKeys the parsed SSH public keys
 * @param tags tags for the user and a dedicated role, the portal's own included
 * @param permissionsBoundaryArn the permissions boundary of a dedicated or shared role,
 * {@code null} for none
 * @param removedTagKeys tags a change removes from the user and a dedicated role: keys
 * the portal set before that the request no longer has (never the portal's own), sorted;
 * empty except for a change
 * @param sharedRole whether the role is a portal-owned role shared by the users of one
 * bucket, key and access level ({@code portal.provisioning.role-mode=shared})
 */
public record Target(UserSpec spec, String accountId, String partition, String userArn, String roleName, String roleArn,
		String rolePath, String rolePolicyName, String bucketArn, String homePrefix, String keyArn,
		IamPolicy trustPolicy, IamPolicy rolePolicy, IamPolicy sessionPolicy, List<ParsedKey> sshKeys,
		Map<String, String> tags, @Nullable String permissionsBoundaryArn, List<String> removedTagKeys,
		boolean sharedRole) {

	/**
	 * Tag marking every resource the portal created and may therefore change or delete.
	 */
	public static final String MANAGED_TAG = "transfer-portal:managed-by";

	public static final String MANAGED_TAG_VALUE = "transfer-portal";

	/** Tag marking a role shared by several users. */
	public static final String SHARED_TAG = "transfer-portal:shared";

	/**
	 * Whether tags read from AWS carry the portal's mark: only such resources may be
	 * changed or deleted.
	 */
	public static boolean isManaged(Map<String, String> tags) {
		return MANAGED_TAG_VALUE.equals(tags.get(MANAGED_TAG));
	}

	public Target {
		// whatever the caller passes: a tag still asked for, or one of the portal's own,
		// is never removed
		removedTagKeys = removedTagKeys.stream()
			.filter((key) -> !tags.containsKey(key) && !Tags.isPortalOwn(key))
			.distinct()
			.sorted()
			.toList();
	}

	/** Whether the role is the user's own, created for it alone. */
	public boolean dedicatedRole() {
		return this.spec.dedicatedRole();
	}

	/**
	 * Whether the portal created and owns the role (a dedicated or a shared one): it sets
	 * its trust policy and deletes it once no managed user needs it.
	 */
	public boolean portalRole() {
		return this.spec.dedicatedRole() || this.sharedRole;
	}

	/**
	 * The tags of the role: the user's tags on a dedicated role, only the portal's mark
	 * on a shared one (it belongs to no one user).
	 */
	public Map<String, String> roleTags() {
		return this.sharedRole ? Map.of(MANAGED_TAG, MANAGED_TAG_VALUE, SHARED_TAG, "true") : this.tags;
	}

	/**
	 * The logical home directory target: {@code /bucket/prefix}, no trailing slash (AWS
	 * rejects one).
	 */
	public String homeTarget() {
		return "/" + this.spec.bucket() + "/" + this.homePrefix;
	}

	/** The key id part of the key ARN. */
	public String keyId() {
		return this.keyArn.substring(this.keyArn.lastIndexOf('/') + 1);
	}

	public String serverId() {
		return this.spec.serverId();
	}

	public String userName() {
		return this.spec.userName();
	}

}
