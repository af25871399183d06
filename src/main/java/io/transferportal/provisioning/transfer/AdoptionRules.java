package io.transferportal.provisioning.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryMapEntry;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;

import io.transferportal.provisioning.AdoptionRefusedException;
import io.transferportal.provisioning.AdoptionRefusedException.Reason;
import io.transferportal.provisioning.ExistingUser;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.validation.SshPublicKeys;

/**
 * Whether a Transfer user that exists outside the portal can be adopted, decided from the
 * user as DescribeUser answers it: no AWS client, no clock.
 */
final class AdoptionRules {

	private AdoptionRules() {
	}

	/**
	 * The user as the adoption keeps it.
	 * @throws AdoptionRefusedException if the portal already marks the user as its own,
	 * the user has no role, or its home directory is one the portal cannot express
	 */
	static ExistingUser existing(String serverId, String userName, DescribedUser user) {
		Map<String, String> tags = new LinkedHashMap<>();
		if (user.hasTags()) {
			user.tags().forEach((tag) -> tags.put(tag.key(), tag.value()));
		}
		String name = "User " + userName + " on " + serverId;
		if (Target.isManaged(tags)) {
			throw new AdoptionRefusedException(Reason.NOT_ADOPTABLE, name + " already carries the portal's tag "
					+ Target.MANAGED_TAG + "; the portal does not adopt a user it marked as its own");
		}
		if (user.role() == null || user.role().isBlank()) {
			// CreateUser requires a role on servers with service-managed identities
			// (https://docs.aws.amazon.com/transfer/latest/APIReference/API_CreateUser.html)
			throw new AdoptionRefusedException(Reason.NOT_ADOPTABLE, name + " has no IAM role");
		}
		List<String> mappings = user.hasHomeDirectoryMappings()
				? user.homeDirectoryMappings().stream().map((entry) -> entry.entry() + " -> " + entry.target()).toList()
				: List.of();
		if (user.homeDirectoryType() == HomeDirectoryType.LOGICAL && !isChroot(user)) {
			throw new AdoptionRefusedException(Reason.NOT_ADOPTABLE,
					name + " has the LOGICAL home directory " + mappings
							+ "; the portal manages exactly one mapping of / to a folder in a bucket "
							+ "(/bucket/folder, the chroot of "
							+ "https://docs.aws.amazon.com/transfer/latest/userguide/logical-dir-mappings.html), so it "
							+ "cannot take this user over without taking away paths the user has now");
		}
		return new ExistingUser(serverId, userName, user.role(), user.homeDirectoryTypeAsString(), user.homeDirectory(),
				mappings, keys(user), tags);
	}

	/**
	 * One mapping of {@code /} to {@code /bucket/folder}, without the
	 * {@code ${transfer:...}} variables the portal's policies do not use.
	 */
	static boolean isChroot(DescribedUser user) {
		if (!user.hasHomeDirectoryMappings() || user.homeDirectoryMappings().size() != 1) {
			return false;
		}
		HomeDirectoryMapEntry mapping = user.homeDirectoryMappings().get(0);
		String target = (mapping.target() != null) ? mapping.target() : "";
		String[] segments = target.split("/", -1);
		boolean bucketAndFolder = target.startsWith("/") && segments.length >= 3 && !segments[1].isEmpty()
				&& !segments[2].isEmpty();
		return "/".equals(mapping.entry()) && bucketAndFolder && !target.contains("${");
	}

	/** Each key once: Transfer may hold the same key imported twice. */
	private static List<String> keys(DescribedUser user) {
		List<String> keys = new ArrayList<>();
		if (user.hasSshPublicKeys()) {
			Set<String> seen = new LinkedHashSet<>();
			for (SshPublicKey key : user.sshPublicKeys()) {
				if (seen.add(SshPublicKeys.identity(key.sshPublicKeyBody()))) {
					keys.add(key.sshPublicKeyBody());
				}
			}
		}
		return keys;
	}

}
