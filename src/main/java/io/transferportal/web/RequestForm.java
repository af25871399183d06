package io.transferportal.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.UserSpec;

/**
 * The "new request" form. SSH keys are one per line; tags one {@code key=value} per line.
 *
 * @param serverId Transfer server
 * @param userName Transfer user name
 * @param bucket S3 bucket
 * @param homePrefix home folder (empty: the user name)
 * @param kmsKeyArn KMS key ARN
 * @param sshPublicKeys OpenSSH public keys, one per line
 * @param accessLevel read-write or read-only
 * @param existingRole whether to use an existing role instead of a dedicated one
 * @param roleArn the existing role
 * @param tags tags, one key=value per line
 * @param ticketRef ticket in the requester's system
 * @param expiresAt the last day of access (UTC), empty for access that does not expire
 */
public record RequestForm(@Nullable String serverId, @Nullable String userName, @Nullable String bucket,
		@Nullable String homePrefix, @Nullable String kmsKeyArn, @Size(max = 120_000) @Nullable String sshPublicKeys,
		@Nullable AccessLevel accessLevel, boolean existingRole, @Nullable String roleArn,
		@Size(max = 20_000) @Nullable String tags, @Size(max = 100) @Nullable String ticketRef,
		@Nullable LocalDate expiresAt) {

	static RequestForm empty() {
		return new RequestForm(null, null, null, null, null, null, AccessLevel.READ_WRITE, false, null, null, null,
				null);
	}

	/** The same form with its SSH keys left empty (a private key pasted into them). */
	RequestForm withoutKeys() {
		return new RequestForm(this.serverId, this.userName, this.bucket, this.homePrefix, this.kmsKeyArn, null,
				this.accessLevel, this.existingRole, this.roleArn, this.tags, this.ticketRef, this.expiresAt);
	}

	/**
	 * The role fields must agree: a ticked "existing role" needs its ARN, and an ARN
	 * without the tick would be ignored (a dedicated role planned instead), so either is
	 * refused rather than guessed.
	 */
	List<FieldViolation> roleViolations() {
		boolean arn = this.roleArn != null && !this.roleArn.isBlank();
		if (this.existingRole && !arn) {
			return List.of(new FieldViolation("roleArn",
					"give the ARN of the existing role, or untick \"Use an existing role\" for a dedicated one"));
		}
		if (!this.existingRole && arn) {
			return List.of(new FieldViolation("roleArn",
					"tick \"Use an existing role\" to use this role, or clear the ARN for a dedicated one"));
		}
		return List.of();
	}

	List<String> keyLines() {
		return FormFields.lines(this.sshPublicKeys);
	}

	Map<String, String> tagMap() {
		return FormFields.tags(this.tags);
	}

	@Nullable Instant expiry() {
		return FormFields.endOfDay(this.expiresAt);
	}

	UserSpec toSpec() {
		return new UserSpec(this.serverId, this.userName, this.bucket, this.homePrefix, this.kmsKeyArn, keyLines(),
				this.accessLevel, this.existingRole ? this.roleArn : null, tagMap());
	}

}
