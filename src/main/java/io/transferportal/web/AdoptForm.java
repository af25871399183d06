package io.transferportal.web;

import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.Adoption;

/**
 * The "adopt an existing user" form: the user, and where the portal's rules put it. Its
 * role and SSH keys are kept as they are.
 *
 * @param serverId Transfer server
 * @param userName the existing Transfer user
 * @param bucket S3 bucket
 * @param homePrefix home folder (empty: the user name)
 * @param kmsKeyArn KMS key ARN
 * @param accessLevel read-write or read-only
 * @param ticketRef ticket in the requester's system
 */
public record AdoptForm(@Size(max = 100) @Nullable String serverId, @Size(max = 100) @Nullable String userName,
		@Size(max = 100) @Nullable String bucket, @Size(max = 600) @Nullable String homePrefix,
		@Size(max = 300) @Nullable String kmsKeyArn, @Nullable AccessLevel accessLevel,
		@Size(max = 100) @Nullable String ticketRef) {

	static AdoptForm empty() {
		return new AdoptForm(null, null, null, null, null, AccessLevel.READ_WRITE, null);
	}

	Adoption toAdoption() {
		return new Adoption(orEmpty(this.serverId), orEmpty(this.userName), orEmpty(this.bucket), this.homePrefix,
				orEmpty(this.kmsKeyArn), this.accessLevel);
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
