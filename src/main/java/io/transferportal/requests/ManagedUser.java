package io.transferportal.requests;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
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
import org.hibernate.annotations.BatchSize;
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
@EntityListeners(ManagedUserChanges.class)
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

	/** When its access ends; {@code null} for never. */
	private @Nullable Instant expiresAt;

	/** When the portal warned that the access is about to end (once per expiry). */
	private @Nullable Instant expiryWarnedAt;

	/** Why its SSH keys were removed, {@code null} while it may sign in. */
	@Enumerated(EnumType.STRING)
	private @Nullable Suspension suspension;

	private @Nullable Instant suspendedAt;

	/**
	 * Keys a rotation retires at {@link #retireAt}, covered by request
	 * {@link #retireRequestId}.
	 */
	@Convert(converter = Json.StringListConverter.class)
	private @Nullable List<String> retireKeys;

	private @Nullable Instant retireAt;

	private @Nullable Long retireRequestId;

	/** Who asked for the access it has now (a reviewer must be someone else). */
	private @Nullable String grantedBy;

	private @Nullable Instant grantedAt;

	/** The request whose approval granted that access (and covers its expiry). */
	private @Nullable Long grantRequestId;

	private @Nullable Instant reviewedAt;

	private @Nullable String reviewedBy;

	/** From the last verification: how many SSH keys Transfer holds for it. */
	private @Nullable Integer sshKeyCount;

	/** From the last verification: when Transfer imported its oldest SSH key. */
	private @Nullable Instant oldestKeyImportedAt;

	// a page of users loads the checks of up to 100 of them in one query, not one each
	@ElementCollection(fetch = FetchType.EAGER)
	@BatchSize(size = 100)
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

	ManagedUser(UserSpec spec, long requestId, String grantedBy, Instant now) {
		this.serverId = spec.serverId();
		this.userName = spec.userName();
		this.status = Status.ACTIVE;
		this.spec = spec;
		this.lastRequestId = requestId;
		this.grantedBy = grantedBy;
		this.grantedAt = now;
		this.grantRequestId = requestId;
		this.createdAt = now;
		this.updatedAt = now;
	}

	/**
	 * A provision, change or adoption granted it these settings: it may sign in again,
	 * and its access counts as granted now.
	 */
	void provisioned(UserSpec spec, long requestId, String grantedBy, Instant now) {
		this.spec = spec;
		this.status = Status.ACTIVE;
		this.lastRequestId = requestId;
		this.grantedBy = grantedBy;
		this.grantedAt = now;
		this.grantRequestId = requestId;
		this.suspension = null;
		this.suspendedAt = null;
		this.updatedAt = now;
	}

	/** A repair or another request applied its settings again (nothing granted). */
	void applied(UserSpec spec, @Nullable Long requestId, Instant now) {
		this.spec = spec;
		this.lastRequestId = requestId;
		this.updatedAt = now;
	}

	/** Its SSH keys were removed (role, policies and files kept). */
	void suspended(Suspension why, long requestId, Instant now) {
		this.suspension = why;
		this.suspendedAt = now;
		this.lastRequestId = requestId;
		this.updatedAt = now;
	}

	/**
	 * A review confirmed its access and its SSH keys are back: it may sign in again (its
	 * grant is unchanged).
	 */
	void reinstated(long requestId, Instant now) {
		this.suspension = null;
		this.suspendedAt = null;
		this.lastRequestId = requestId;
		this.updatedAt = now;
	}

	/** Sets when its access ends; a new expiry is warned about again. */
	void expiresAt(@Nullable Instant expiresAt) {
		if (!Objects.equals(expiresAt, this.expiresAt)) {
			this.expiryWarnedAt = null;
		}
		this.expiresAt = expiresAt;
	}

	void expiryWarned(Instant now) {
		this.expiryWarnedAt = now;
	}

	/**
	 * A rotation keeps {@code keys} until {@code at}, covered by request
	 * {@code requestId}.
	 */
	void retireKeysAt(List<String> keys, Instant at, long requestId) {
		this.retireKeys = keys.isEmpty() ? null : List.copyOf(keys);
		this.retireAt = keys.isEmpty() ? null : at;
		this.retireRequestId = keys.isEmpty() ? null : requestId;
	}

	void retirementDone() {
		this.retireKeys = null;
		this.retireAt = null;
		this.retireRequestId = null;
	}

	void reviewed(String reviewer, Instant now) {
		this.reviewedBy = reviewer;
		this.reviewedAt = now;
		this.updatedAt = now;
	}

	/** What the last verification read of its SSH keys. */
	void sshKeysSeen(int count, @Nullable Instant oldestImportedAt) {
		this.sshKeyCount = count;
		this.oldestKeyImportedAt = oldestImportedAt;
	}

	/**
	 * The settings AWS should show now: the approved ones, without SSH keys while
	 * suspended.
	 */
	UserSpec effectiveSpec() {
		if (this.suspension == null) {
			return this.spec;
		}
		return LifecycleRules.withKeys(this.spec, List.of());
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

	@Nullable Long getId() {
		return this.id;
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

	@Nullable Instant getExpiresAt() {
		return this.expiresAt;
	}

	@Nullable Instant getExpiryWarnedAt() {
		return this.expiryWarnedAt;
	}

	@Nullable Suspension getSuspension() {
		return this.suspension;
	}

	@Nullable Instant getSuspendedAt() {
		return this.suspendedAt;
	}

	List<String> getRetireKeys() {
		return (this.retireKeys != null) ? this.retireKeys : List.of();
	}

	@Nullable Instant getRetireAt() {
		return this.retireAt;
	}

	@Nullable Long getRetireRequestId() {
		return this.retireRequestId;
	}

	@Nullable String getGrantedBy() {
		return this.grantedBy;
	}

	@Nullable Instant getGrantedAt() {
		return this.grantedAt;
	}

	@Nullable Long getGrantRequestId() {
		return this.grantRequestId;
	}

	@Nullable Instant getReviewedAt() {
		return this.reviewedAt;
	}

	@Nullable String getReviewedBy() {
		return this.reviewedBy;
	}

	@Nullable Integer getSshKeyCount() {
		return this.sshKeyCount;
	}

	@Nullable Instant getOldestKeyImportedAt() {
		return this.oldestKeyImportedAt;
	}

	Map<ResourceKind, CheckResult> getChecks() {
		return Map.copyOf(this.checks);
	}

	/** Whether the portal manages it (ACTIVE, also while suspended) or removed it. */
	enum Status {

		ACTIVE, DELETED

	}

	/** Why a managed user's SSH keys were removed. */
	enum Suspension {

		/** Its access reached its {@code expiresAt}. */
		EXPIRED,

		/** Its periodic access review is overdue. */
		UNREVIEWED

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
