package io.transferportal.provisioning;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A Transfer user as it exists in AWS, before the portal adopts it: what the adoption
 * keeps (its role and SSH keys) and what the approver compares (its home directory and
 * tags).
 *
 * @param serverId the Transfer server
 * @param userName the user name
 * @param roleArn the role the user assumes
 * @param homeDirectoryType {@code PATH} or {@code LOGICAL}
 * @param homeDirectory the home directory of a {@code PATH} user, {@code null} for none
 * @param homeDirectoryMappings the mappings of a {@code LOGICAL} user, as
 * {@code entry -> target}
 * @param sshPublicKeys the user's SSH public keys, each once
 * @param tags the user's tags
 */
public record ExistingUser(String serverId, String userName, String roleArn, String homeDirectoryType,
		@Nullable String homeDirectory, List<String> homeDirectoryMappings, List<String> sshPublicKeys,
		Map<String, String> tags) {

	public ExistingUser {
		homeDirectoryMappings = List.copyOf(homeDirectoryMappings);
		sshPublicKeys = List.copyOf(sshPublicKeys);
		tags = Map.copyOf(tags);
	}

}
