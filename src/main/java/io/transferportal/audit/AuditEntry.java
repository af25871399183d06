package io.transferportal.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.jspecify.annotations.Nullable;

/**
 * One audit record. Immutable: Hibernate never issues an UPDATE for it, and no repository
 * method deletes.
 */
@Entity
@Immutable
@Table(name = "audit_entry")
class AuditEntry {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private Instant occurredAt;

	private String actor;

	private String action;

	private @Nullable Long requestId;

	private @Nullable String ticketRef;

	private @Nullable String serverId;

	private @Nullable String userName;

	private @Nullable String resource;

	private @Nullable String resourceArn;

	private @Nullable String outcome;

	@Column(name = "before_doc")
	private @Nullable String before;

	@Column(name = "after_doc")
	private @Nullable String after;

	/**
	 * {@code audit_entry.detail varchar(8000)}: a 2,000-character reason and its context.
	 */
	static final int MAX_DETAIL_LENGTH = 8000;

	private @Nullable String detail;

	private @Nullable String awsRequestId;

	protected AuditEntry() {
		this.occurredAt = Instant.EPOCH;
		this.actor = "";
		this.action = "";
	}

	AuditEntry(Instant occurredAt, String actor, String action, @Nullable Long requestId, @Nullable String ticketRef,
			@Nullable String serverId, @Nullable String userName, @Nullable String resource,
			@Nullable String resourceArn, @Nullable String outcome, @Nullable String before, @Nullable String after,
			@Nullable String detail, @Nullable String awsRequestId) {
		this.occurredAt = occurredAt;
		this.actor = actor;
		this.action = action;
		this.requestId = requestId;
		this.ticketRef = ticketRef;
		this.serverId = serverId;
		this.userName = userName;
		this.resource = resource;
		this.resourceArn = resourceArn;
		this.outcome = outcome;
		this.before = before;
		this.after = after;
		this.detail = (detail != null && detail.length() > MAX_DETAIL_LENGTH)
				? detail.substring(0, MAX_DETAIL_LENGTH - 1) + "…" : detail;
		this.awsRequestId = awsRequestId;
	}

	AuditRecord record() {
		return new AuditRecord(this.id, this.occurredAt, this.actor, this.action, this.requestId, this.ticketRef,
				this.serverId, this.userName, this.resource, this.resourceArn, this.outcome, this.before, this.after,
				this.detail, this.awsRequestId);
	}

}
