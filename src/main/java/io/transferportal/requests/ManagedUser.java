package io.transferportal.requests;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.MapKeyEnumerated;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;

/**
 * A Transfer user the portal manages (one per server and user name), with its last
 * verification per check.
 */
@Entity
@Table(name = "managed_user")
class ManagedUser {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String serverId;

	private String userName;

	@Enumerated(EnumType.STRING)
	private Status status;

	@Enumerated(EnumType.STRING)
	private Health health = Health.UNVERIFIED;

	@Convert(converter = Json.SpecConverter.class)
	private UserSpec spec;

	private @Nullable Long lastRequestId;

	private @Nullable Instant verifiedAt;

	private Instant createdAt;

	private Instant updatedAt;

	@ElementCollection(fetch = FetchType.EAGER)
	@CollectionTable(name = "managed_user_check", joinColumns = @JoinColumn(name = "managed_user_id"))
	@MapKeyColumn(name = "resource")
	@MapKeyEnumerated(EnumType.STRING)
	private Map<ResourceKind, CheckResult> checks = new EnumMap<>(ResourceKind.class);

	protected ManagedUser() {
		this.serverId = "";
		this.userName = "";
		this.status = Status.ACTIVE;
		this.spec = null;
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	ManagedUser(UserSpec spec, long requestId, Instant now) {
		this.serverId = spec.serverId();
		this.userName = spec.userName();
		this.status = Status.ACTIVE;
		this.spec = spec;
		this.lastRequestId = requestId;
		this.createdAt = now;
		this.updatedAt = now;
	}

	void provisioned(UserSpec spec, long requestId, Instant now) {
		this.spec = spec;
		this.status = Status.ACTIVE;
		this.lastRequestId = requestId;
		this.updatedAt = now;
	}

	void deleted(long requestId, Instant now) {
		this.status = Status.DELETED;
		this.lastRequestId = requestId;
		this.checks.clear();
		this.updatedAt = now;
	}

	/**
	 * Stores a verification; returns the previous status of each check whose status
	 * changed.
	 */
	Map<ResourceKind, @Nullable CheckStatus> recordVerification(Iterable<Check> results, Instant at) {
		Map<ResourceKind, @Nullable CheckStatus> changed = new EnumMap<>(ResourceKind.class);
		for (Check check : results) {
			CheckResult previous = this.checks.get(check.resource());
			if (previous == null || previous.status != check.status()) {
				changed.put(check.resource(), (previous != null) ? previous.status : null);
			}
			this.checks.put(check.resource(), new CheckResult(check.status(), truncate(check.detail()), at));
		}
		this.verifiedAt = at;
		this.health = Health.of(this.checks.values().stream().map(CheckResult::getStatus).toList());
		return changed;
	}

	private static String truncate(String detail) {
		return (detail.length() > 2000) ? detail.substring(0, 1999) + "…" : detail;
	}

	String getServerId() {
		return this.serverId;
	}

	String getUserName() {
		return this.userName;
	}

	Health getHealth() {
		return this.health;
	}

	Status getStatus() {
		return this.status;
	}

	UserSpec getSpec() {
		return this.spec;
	}

	@Nullable Long getLastRequestId() {
		return this.lastRequestId;
	}

	@Nullable Instant getVerifiedAt() {
		return this.verifiedAt;
	}

	Map<ResourceKind, CheckResult> getChecks() {
		return Map.copyOf(this.checks);
	}

	enum Status {

		ACTIVE, DELETED

	}

	/** The last result of one check. */
	@Embeddable
	static class CheckResult {

		@Enumerated(EnumType.STRING)
		@Column(name = "status")
		private CheckStatus status;

		@Column(name = "detail")
		private String detail;

		@Column(name = "checked_at")
		private Instant checkedAt;

		protected CheckResult() {
			this.status = CheckStatus.ERROR;
			this.detail = "";
			this.checkedAt = Instant.EPOCH;
		}

		CheckResult(CheckStatus status, String detail, Instant checkedAt) {
			this.status = status;
			this.detail = detail;
			this.checkedAt = checkedAt;
		}

		CheckStatus getStatus() {
			return this.status;
		}

		String getDetail() {
			return this.detail;
		}

	}

}
