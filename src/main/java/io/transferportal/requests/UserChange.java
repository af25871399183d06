package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;

/**
 * A change to a managed user: each field that is {@code null} stays as approved.
 *
 * @param sshPublicKeys the user's SSH public keys from now on (all of them: keys not
 * listed are removed, at once or, in a rotation, after {@code retireAfter})
 * @param accessLevel the new access level
 * @param tags the user's tags from now on
 * @param expiresAt when the user's access ends from now on (an extension when later)
 * @param retireAfter how long the keys the change removes stay after it is applied; by
 * default {@code portal.lifecycle.rotation-overlap} when the change also adds a key (a
 * rotation), at once when it only removes keys (a key that must go must not wait)
 */
public record UserChange(@Nullable List<String> sshPublicKeys, @Nullable AccessLevel accessLevel,
		@Nullable Map<String, String> tags, @Nullable Instant expiresAt, @Nullable Duration retireAfter) {

	/** The approved settings with this change. */
	public UserSpec applyTo(UserSpec spec) {
		return new UserSpec(spec.serverId(), spec.userName(), spec.bucket(), spec.homePrefix(), spec.kmsKeyArn(),
				(this.sshPublicKeys != null) ? this.sshPublicKeys : spec.sshPublicKeys(),
				(this.accessLevel != null) ? this.accessLevel : spec.accessLevel(), spec.roleArn(),
				(this.tags != null) ? this.tags : spec.tags());
	}

}
