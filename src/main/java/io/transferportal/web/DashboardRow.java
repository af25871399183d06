package io.transferportal.web;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriUtils;

import io.transferportal.requests.ManagedUserView;
import io.transferportal.web.LifecycleBadges.Badge;

/**
 * One row of the dashboard's table, as it shows: every text, link and badge class worked
 * out here once rather than by expressions in the template, whose evaluation a profile of
 * pages of 50 users with their checks showed as a large part of the rendering.
 *
 * @param user the managed user
 * @param key {@code serverId/userName}, the value of its tick box
 * @param href the path of its page
 * @param healthTone the CSS class of its health badge, {@code null} once deprovisioned
 * @param checks one badge per check, empty once deprovisioned or before a verification
 * @param unverified whether it is active and was never verified
 * @param access its access level as words
 * @param keyId the KMS key's id (its ARN when it names an alias)
 * @param sshKeys how many SSH keys Transfer held at the last verification, or that they
 * were not counted yet
 * @param badges the badges of its life
 * @param verifiedLocal when it was last verified, in the portal's zone, {@code null} for
 * never
 * @param verifiedUtc the same instant in UTC
 */
public record DashboardRow(ManagedUserView user, String key, String href, @Nullable String healthTone,
		List<Check> checks, boolean unverified, String access, String keyId, String sshKeys, List<Badge> badges,
		@Nullable String verifiedLocal, @Nullable String verifiedUtc) {

	private static final String KEY_ID = ":key/";

	static DashboardRow of(ManagedUserView user, Tones tones, Times times) {
		boolean active = user.active();
		List<Check> checks = active ? user.checks()
			.stream()
			.map((check) -> new Check(check.resource().label() + ": " + check.status(), tones.check(check.status())))
			.toList() : List.of();
		String arn = user.spec().kmsKeyArn();
		Integer sshKeys = user.lifecycle().sshKeyCount();
		return new DashboardRow(user, user.serverId() + "/" + user.userName(),
				"/users/" + UriUtils.encodePathSegment(user.serverId(), "UTF-8") + "/"
						+ UriUtils.encodePathSegment(user.userName(), "UTF-8"),
				active ? tones.health(user.health()) : null, checks, active && user.checks().isEmpty(),
				user.spec().accessLevel().label(),
				arn.contains(KEY_ID) ? arn.substring(arn.indexOf(KEY_ID) + KEY_ID.length()) : arn,
				(sshKeys != null) ? sshKeys.toString() : "Not counted yet", LifecycleBadges.of(user.lifecycle()),
				(user.verifiedAt() != null) ? times.local(user.verifiedAt()) : null,
				(user.verifiedAt() != null) ? times.utc(user.verifiedAt()) : null);
	}

	/**
	 * One check's badge.
	 *
	 * @param text the check and its status
	 * @param tone its CSS class
	 */
	public record Check(String text, String tone) {
	}

}
