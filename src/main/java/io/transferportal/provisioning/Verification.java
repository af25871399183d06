package io.transferportal.provisioning;

import java.time.Instant;
import java.util.List;

/**
 * The live status of one Transfer user: one {@link Check} each for bucket encryption,
 * role policy, session policy, key policy, home folder and the Transfer user itself.
 */
public record Verification(UserSpec spec, List<Check> checks, Instant verifiedAt) {

	/** The resources verified, in display order. */
	public static final List<ResourceKind> CHECKED = List.of(ResourceKind.BUCKET_ENCRYPTION, ResourceKind.ROLE_POLICY,
			ResourceKind.SESSION_POLICY, ResourceKind.KEY_POLICY, ResourceKind.HOME_FOLDER, ResourceKind.TRANSFER_USER);

	public Verification {
		checks = List.copyOf(checks);
	}

	public boolean allOk() {
		return this.checks.stream().allMatch((check) -> check.status() == CheckStatus.OK);
	}

	public Check check(ResourceKind resource) {
		return this.checks.stream()
			.filter((check) -> check.resource() == resource)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(resource + " is not verified"));
	}

}
