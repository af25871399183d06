package io.transferportal.provisioning;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a requester asks for when the portal is to adopt a Transfer user that exists
 * outside it: the user, and where the portal's rules put it (bucket, home folder, KMS key
 * and access level). The user's role and SSH keys are kept as they are.
 *
 * @param serverId Transfer server id
 * @param userName the existing Transfer user
 * @param bucket S3 bucket holding the home folder
 * @param homePrefix folder inside the bucket; {@code null} or blank means the user name
 * @param kmsKeyArn full ARN of the KMS key the bucket is (or will be) encrypted with
 * @param accessLevel read-write (default) or read-only
 */
public record Adoption(String serverId, String userName, String bucket, @Nullable String homePrefix, String kmsKeyArn,
		@Nullable AccessLevel accessLevel) {

	/**
	 * The request for the user as it exists: its role becomes an existing role (the
	 * existing-role path and trust rules apply), its SSH keys stay. No tags of the
	 * request: the user's own tags stay on it, and the portal adds only its mark.
	 */
	public UserSpec toSpec(ExistingUser existing) {
		return new UserSpec(this.serverId, this.userName, this.bucket, this.homePrefix, this.kmsKeyArn,
				existing.sshPublicKeys(), this.accessLevel, existing.roleArn(), Map.of());
	}

}
