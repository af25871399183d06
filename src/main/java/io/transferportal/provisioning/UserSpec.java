package io.transferportal.provisioning;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What a requester asks for: one AWS Transfer Family user on an SSE-KMS bucket.
 * <p>
 * The record accepts anything (missing values become empty) so that
 * {@link ProvisioningEngine#validate} can name every invalid field at once.
 *
 * @param serverId Transfer server id ({@code s-} and 17 hex digits)
 * @param userName Transfer user name
 * @param bucket S3 bucket holding the home folder
 * @param homePrefix folder inside the bucket; {@code null} or blank means the user name
 * @param kmsKeyArn full ARN of the symmetric KMS key the bucket is (or will be) encrypted
 * with
 * @param sshPublicKeys OpenSSH public keys, one per entry
 * @param accessLevel read-write (default) or read-only
 * @param roleArn an existing IAM role to use; {@code null} means "create a dedicated
 * role" (the default)
 * @param tags tags for the Transfer user and the dedicated role
 */
public record UserSpec(String serverId, String userName, String bucket, @Nullable String homePrefix, String kmsKeyArn,
		List<String> sshPublicKeys, AccessLevel accessLevel, @Nullable String roleArn, Map<String, String> tags) {

	public UserSpec {
		serverId = trimToEmpty(serverId);
		userName = trimToEmpty(userName);
		bucket = trimToEmpty(bucket);
		homePrefix = trimToNull(homePrefix);
		kmsKeyArn = trimToEmpty(kmsKeyArn);
		sshPublicKeys = (sshPublicKeys != null) ? sshPublicKeys.stream().map(UserSpec::trimToEmpty).toList()
				: List.of();
		accessLevel = Objects.requireNonNullElse(accessLevel, AccessLevel.READ_WRITE);
		roleArn = trimToNull(roleArn);
		// sorted, so that equal specs serialize (and fingerprint) identically
		tags = (tags != null) ? Collections.unmodifiableMap(new TreeMap<>(tags)) : Map.of();
	}

	/** The home folder inside the bucket, without leading or trailing slashes. */
	public String effectiveHomePrefix() {
		String prefix = (this.homePrefix != null) ? this.homePrefix : this.userName;
		int start = 0;
		int end = prefix.length();
		while (start < end && prefix.charAt(start) == '/') {
			start++;
		}
		while (end > start && prefix.charAt(end - 1) == '/') {
			end--;
		}
		return prefix.substring(start, end);
	}

	/** The same request with this role. */
	public UserSpec withRoleArn(@Nullable String roleArn) {
		return new UserSpec(this.serverId, this.userName, this.bucket, this.homePrefix, this.kmsKeyArn,
				this.sshPublicKeys, this.accessLevel, roleArn, this.tags);
	}

	/** Whether the portal creates and owns a role for this user. */
	public boolean dedicatedRole() {
		return this.roleArn == null;
	}

	private static String trimToEmpty(@Nullable String value) {
		return (value != null) ? value.strip() : "";
	}

	private static @Nullable String trimToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
