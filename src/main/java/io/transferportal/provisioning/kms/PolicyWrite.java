package io.transferportal.provisioning.kms;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import io.transferportal.provisioning.policy.KeyPolicies;

/**
 * A key-policy write: the policy to put, and what must be true of the policy read back
 * afterwards.
 *
 * @param policy the whole key policy to put
 * @param roleArn the role the write is about
 * @param allowsRole whether the role must be allowed afterwards (provisioning) or gone
 * from the portal's statement (removal)
 * @param rolePathStatement the role-path statement the policy must hold afterwards,
 * instead of the role itself ({@code role-path} mode); {@code null} in {@code role-list}
 * mode
 */
record PolicyWrite(IamPolicy policy, String roleArn, boolean allowsRole, @Nullable IamStatement rolePathStatement) {

	PolicyWrite(IamPolicy policy, String roleArn, boolean allowsRole) {
		this(policy, roleArn, allowsRole, null);
	}

	/** Whether the policy read back after the write shows this change. */
	boolean shownIn(IamPolicy stored, String keyArn) {
		if (this.rolePathStatement != null) {
			return KeyPolicies.holds(stored, this.rolePathStatement);
		}
		return this.allowsRole ? KeyPolicies.allowsRole(stored, this.roleArn, keyArn)
				: !KeyPolicies.portalStatementLists(stored, this.roleArn);
	}

	/** What the change is about, in words. */
	String about() {
		return (this.rolePathStatement != null) ? "statement " + KeyPolicies.ROLE_PATH_SID : "role " + this.roleArn;
	}

}
