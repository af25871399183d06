package io.transferportal.requests;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.Verification;

/**
 * A managed Transfer user and its last verification.
 *
 * @param serverId Transfer server
 * @param userName Transfer user
 * @param active false once deprovisioned
 * @param spec what was approved for it
 * @param checks last result per check, in display order (empty until verified)
 * @param health the worst of the checks
 * @param verifiedAt when it was last verified
 * @param lastRequestId the request that last changed it
 */
public record ManagedUserView(String serverId, String userName, boolean active, UserSpec spec, List<Check> checks,
		Health health, @Nullable Instant verifiedAt, @Nullable Long lastRequestId) {

	static ManagedUserView of(ManagedUser user) {
		List<Check> checks = Verification.CHECKED.stream()
			.filter((resource) -> user.getChecks().containsKey(resource))
			.map((resource) -> new Check(resource, user.getChecks().get(resource).getStatus(),
					user.getChecks().get(resource).getDetail()))
			.toList();
		return new ManagedUserView(user.getServerId(), user.getUserName(),
				user.getStatus() == ManagedUser.Status.ACTIVE, user.getSpec(), checks, user.getHealth(),
				user.getVerifiedAt(), user.getLastRequestId());
	}

}
