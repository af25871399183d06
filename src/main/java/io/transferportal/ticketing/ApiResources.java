package io.transferportal.ticketing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.Connection;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.SshKey;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;
import io.transferportal.requests.SshKeyView;
import io.transferportal.requests.UserChange;

/**
 * The JSON documents of API v1. Field names are part of the public contract: change them
 * only in a new version.
 */
final class ApiResources {

	/**
	 * Printable text without control characters (they have no business in any field of
	 * this API).
	 */
	static final String PRINTABLE = "[^\\p{Cntrl}]*";

	/**
	 * A ticket reference: starts with a letter or digit; letters, digits and . _ : / # -,
	 * no "..".
	 */
	static final String TICKET_REF = "(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._:/#-]*";

	static final String TICKET_REF_MESSAGE = "must start with a letter or digit and contain only letters, digits and . _ : / # - (no '..')";

	private ApiResources() {
	}

	/** {@code POST /api/v1/requests}. */
	record CreateRequest(
			@NotBlank @Size(max = 100) @Pattern(regexp = TICKET_REF, message = TICKET_REF_MESSAGE) String ticketRef,
			@Size(max = 100) @Pattern(regexp = PRINTABLE) String serverId,
			@Size(max = 100) @Pattern(regexp = PRINTABLE) String userName,
			@Size(max = 100) @Pattern(regexp = PRINTABLE) String bucket,
			@Size(max = 600) @Pattern(regexp = PRINTABLE) @Nullable String homePrefix,
			@Size(max = 300) @Pattern(regexp = PRINTABLE) String kmsKeyArn,
			@Size(max = 50) List<@Size(max = 4096) String> sshPublicKeys, @Nullable AccessLevel accessLevel,
			@Size(max = 2048) @Pattern(regexp = PRINTABLE) @Nullable String roleArn,
			@Size(max = 50) @Nullable Map<@Size(max = 128) String, @Size(max = 256) String> tags,
			@Size(max = 2048) @Pattern(regexp = PRINTABLE) @Nullable String callbackUrl, @Nullable Instant expiresAt) {

		UserSpec toSpec() {
			return new UserSpec(this.serverId, this.userName, this.bucket, this.homePrefix, this.kmsKeyArn,
					this.sshPublicKeys, this.accessLevel, this.roleArn, this.tags);
		}

	}

	/**
	 * {@code PATCH /api/v1/users/{serverId}/{userName}}: the fields given replace the
	 * approved ones, absent fields stay as they are.
	 */
	record ModifyRequest(
			@NotBlank @Size(max = 100) @Pattern(regexp = TICKET_REF, message = TICKET_REF_MESSAGE) String ticketRef,
			@Size(max = 50) @Nullable List<@Size(max = 4096) String> sshPublicKeys, @Nullable AccessLevel accessLevel,
			@Size(max = 50) @Nullable Map<@Size(max = 128) String, @Size(max = 256) String> tags,
			@Size(max = 2048) @Pattern(regexp = PRINTABLE) @Nullable String callbackUrl, @Nullable Instant expiresAt,
			@Nullable Duration retireAfter) {

		UserChange toChange() {
			return new UserChange(this.sshPublicKeys, this.accessLevel, this.tags, this.expiresAt, this.retireAfter);
		}

	}

	/** {@code POST .../approve}. */
	record Approval(@Size(max = 2000) @Pattern(regexp = "[^\\p{Cntrl}&&[^\\n\\t]]*") @Nullable String comment) {
	}

	/** {@code POST .../reject}. */
	record Rejection(@NotBlank @Size(max = 2000) @Pattern(regexp = "[^\\p{Cntrl}&&[^\\n\\t]]*") String reason) {
	}

	record Change(ResourceKind resource, String resourceArn, ChangeAction action, String summary,
			@Nullable String before, @Nullable String after, List<String> warnings) {
	}

	record PlanResource(String fingerprint, List<Change> changes, List<String> problems) {

		static PlanResource of(Plan plan) {
			return new PlanResource(plan.fingerprint(),
					plan.changes()
						.stream()
						.map((c) -> new Change(c.resource(), c.resourceArn(), c.action(), c.summary(), c.before(),
								c.after(), c.warnings()))
						.toList(),
					plan.problems().stream().map((p) -> p.resource() + ": " + p.message()).toList());
		}

	}

	/** {@code POST .../close}: why an admin closes the request for good. */
	record Closure(@NotBlank @Size(max = 2000) @Pattern(regexp = "[^\\p{Cntrl}&&[^\\n\\t]]*") String reason) {
	}

	record Request(long id, @Nullable String ticketRef, RequestKind kind, RequestStatus status, String serverId,
			String userName, String requestedBy, PlanResource plan, @Nullable String failure, Instant createdAt,
			Instant updatedAt, Terms terms, Map<String, String> links) {

		static Request of(RequestView view) {
			String self = "/api/v1/requests/" + view.id();
			return new Request(view.id(), view.ticketRef(), view.kind(), view.status(), view.serverId(),
					view.userName(), view.requestedBy(), PlanResource.of(view.plan()), view.failure(), view.createdAt(),
					view.updatedAt(), Terms.of(view.terms()),
					Map.of("self", self, "approve", self + "/approve", "reject", self + "/reject", "cancel",
							self + "/cancel", "retry", self + "/retry", "close", self + "/close", "user",
							"/api/v1/users/" + view.serverId() + "/" + view.userName()));
		}

	}

	/**
	 * What an approval grants beyond the plan: when the access ends, the keys a rotation
	 * retires (by fingerprint) after {@code retireAfter}, and for a request the portal
	 * made itself what covers it.
	 */
	record Terms(@Nullable Instant expiresAt, List<String> retireKeys, @Nullable Duration retireAfter,
			@Nullable String coveredBy) {

		static Terms of(RequestView.Terms terms) {
			return new Terms(terms.expiresAt(),
					terms.retireKeys().stream().map(SshKey::fingerprintOf).filter(Objects::nonNull).toList(),
					terms.retireAfter(), terms.coveredBy());
		}

	}

	record Check(ResourceKind resource, CheckStatus status, String detail) {
	}

	record User(String serverId, String userName, boolean active, String bucket, String homePrefix, String kmsKeyArn,
			AccessLevel accessLevel, List<Check> checks, @Nullable Instant verifiedAt, @Nullable Long lastRequestId,
			@Nullable ConnectionDetails connection, @Nullable List<SshKeyView> sshPublicKeys,
			ManagedUserView.Lifecycle lifecycle) {

		static User of(ManagedUserView view) {
			return of(view, null, null);
		}

		/**
		 * With how to connect and the SSH keys, read live; {@code null} when not read.
		 */
		static User of(ManagedUserView view, @Nullable Connection connection, @Nullable List<SshKeyView> keys) {
			return new User(view.serverId(), view.userName(), view.active(), view.spec().bucket(),
					view.spec().effectiveHomePrefix(), view.spec().kmsKeyArn(), view.spec().accessLevel(),
					view.checks().stream().map((c) -> new Check(c.resource(), c.status(), c.detail())).toList(),
					view.verifiedAt(), view.lastRequestId(),
					(connection != null) ? ConnectionDetails.of(connection) : null, keys, view.lifecycle());
		}

	}

	/**
	 * How the user connects: {@code host} is null when the server is reachable only
	 * through a VPC endpoint, and {@code note} says where to find its DNS name.
	 */
	record ConnectionDetails(@Nullable String host, @Nullable String note, List<String> hostKeyFingerprints,
			String userName, String homeFolder, @Nullable String sftpCommand) {

		static ConnectionDetails of(Connection connection) {
			return new ConnectionDetails(connection.host(), connection.note(), connection.hostKeyFingerprints(),
					connection.userName(), connection.homeFolder(), connection.sftpCommand());
		}

	}

	record Page<T>(List<T> items, int page, int size, long totalItems, int totalPages) {
	}

}
