package io.transferportal.provisioning.kms;

import software.amazon.awssdk.policybuilder.iam.IamPolicy;

/**
 * A key-policy write: the policy to put, and what must be true of the policy read back
 * afterwards.
 *
 * @param policy the whole key policy to put
 * @param roleArn the role the write is about
 * @param allowsRole whether the role must be allowed afterwards (provisioning) or gone
 * from the portal's statement (removal)
 */
record PolicyWrite(IamPolicy policy, String roleArn, boolean allowsRole) {
}
