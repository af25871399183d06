package io.transferportal.requests;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;

/**
 * A change to a managed user: each field that is {@code null} stays as approved.
 *
 * @param sshPublicKeys the user's SSH public keys from now on (all of them: keys not
 * listed are removed)
 * @param accessLevel the new access level
 * @param tags the user's tags from now on
 */
public record UserChange(@Nullable List<String> sshPublicKeys, @Nullable AccessLevel accessLevel,
		@Nullable Map<String, String> tags) {

	/** The approved settings with this change. */
	public UserSpec applyTo(UserSpec spec) {
		return new UserSpec(spec.serverId(), spec.userName(), spec.bucket(), spec.homePrefix(), spec.kmsKeyArn(),
				(this.sshPublicKeys != null) ? this.sshPublicKeys : spec.sshPublicKeys(),
				(this.accessLevel != null) ? this.accessLevel : spec.accessLevel(), spec.roleArn(),
				(this.tags != null) ? this.tags : spec.tags());
	}

}
