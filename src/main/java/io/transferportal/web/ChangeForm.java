package io.transferportal.web;

import java.time.Duration;
import java.time.LocalDate;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.UserChange;

/**
 * The "change user" form: the user's SSH keys, access level and tags as they should be
 * from now on.
 *
 * @param sshPublicKeys OpenSSH public keys, one per line
 * @param accessLevel read-write or read-only
 * @param tags tags, one key=value per line
 * @param ticketRef ticket in the requester's system
 * @param expiresAt the last day of access (UTC), empty to keep the current expiry
 * @param retireAfter days a rotation keeps the keys it replaces, empty for the portal's
 * default
 */
public record ChangeForm(@Size(max = 120_000) @Nullable String sshPublicKeys, @Nullable AccessLevel accessLevel,
		@Size(max = 20_000) @Nullable String tags, @Size(max = 100) @Nullable String ticketRef,
		@Nullable LocalDate expiresAt, @Min(0) @Max(90) @Nullable Integer retireAfter) {

	static ChangeForm of(UserSpec spec) {
		return new ChangeForm(String.join("\n", spec.sshPublicKeys()), spec.accessLevel(),
				FormFields.tagLines(spec.tags()), null, null, null);
	}

	/** The same form with its SSH keys left empty (a private key pasted into them). */
	ChangeForm withoutKeys() {
		return new ChangeForm(null, this.accessLevel, this.tags, this.ticketRef, this.expiresAt, this.retireAfter);
	}

	UserChange toChange() {
		return new UserChange(FormFields.lines(this.sshPublicKeys), this.accessLevel, FormFields.tags(this.tags),
				FormFields.endOfDay(this.expiresAt),
				(this.retireAfter != null) ? Duration.ofDays(this.retireAfter) : null);
	}

}
