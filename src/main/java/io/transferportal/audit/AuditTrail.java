package io.transferportal.audit;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.requests.RequestEvents.AccessRequestDecided;
import io.transferportal.requests.RequestEvents.AccessRequestStatusChanged;
import io.transferportal.requests.RequestEvents.AccessRequestSubmitted;
import io.transferportal.requests.RequestEvents.AccessReviewed;
import io.transferportal.requests.RequestEvents.AwsCallFailed;
import io.transferportal.requests.RequestEvents.AwsChangeApplied;
import io.transferportal.requests.RequestEvents.RetryRequested;
import io.transferportal.requests.RequestEvents.UserLifecycleChanged;
import io.transferportal.requests.RequestEvents.VerificationChanged;
import io.transferportal.requests.RequestEvents.VerificationSweepRequested;
import io.transferportal.requests.ReviewDecision;

/**
 * Writes the audit trail from the requests module's events. The listeners run
 * synchronously in the publisher's transaction, so an AWS change and its audit record
 * commit (or roll back) together.
 */
@Service
public class AuditTrail {

	private final AuditEntryRepository entries;

	private final EntityManager entityManager;

	AuditTrail(AuditEntryRepository entries, EntityManager entityManager) {
		this.entries = entries;
		this.entityManager = entityManager;
	}

	@EventListener
	void on(AccessRequestSubmitted event) {
		this.entries.save(new AuditEntry(event.occurredAt(), event.actor(), "SUBMITTED", event.requestId(),
				event.ticketRef(), event.serverId(), event.userName(), null, null, null, null, null,
				event.summary() + " (plan " + event.planFingerprint() + ")", null));
	}

	@EventListener
	void on(AccessRequestDecided event) {
		this.entries.save(new AuditEntry(event.occurredAt(), event.actor(), event.approved() ? "APPROVED" : "REJECTED",
				event.requestId(), event.ticketRef(), event.serverId(), event.userName(), null, null, null, null, null,
				"Plan " + event.planFingerprint() + ((event.comment() != null) ? ": " + event.comment() : ""), null));
	}

	@EventListener
	void on(AccessRequestStatusChanged event) {
		if (event.previousStatus() == null) {
			return; // the submission itself is recorded as SUBMITTED
		}
		this.entries.save(new AuditEntry(event.occurredAt(), event.actor(), "STATUS_CHANGED", event.requestId(),
				event.ticketRef(), event.serverId(), event.userName(), null, null, event.status().name(), null, null,
				event.previousStatus() + " -> " + event.status() + ": " + event.summary(), null));
	}

	@EventListener
	void on(RetryRequested event) {
		this.entries.save(new AuditEntry(event.occurredAt(), event.actor(), "RETRY_REQUESTED", event.requestId(),
				event.ticketRef(), event.serverId(), event.userName(), null, null, null, null, null,
				"Run the approved plan again", null));
	}

	/**
	 * A review decision, with the request it made (a removal, or the return of suspended
	 * keys), which has its own SUBMITTED and STATUS_CHANGED records.
	 */
	@EventListener
	void on(AccessReviewed event) {
		boolean confirmed = event.decision() == ReviewDecision.CONFIRM;
		String detail = (confirmed ? "Access confirmed" : "Access revoked")
				+ ((event.requestId() != null)
						? (confirmed ? "; its SSH keys are given back by request " : "; removed by request ")
								+ event.requestId() + " without a second approval"
						: "")
				+ ((event.comment() != null) ? ": " + event.comment() : "");
		this.entries.save(new AuditEntry(event.occurredAt(), event.actor(), "ACCESS_REVIEWED", event.requestId(), null,
				event.serverId(), event.userName(), null, null, confirmed ? "CONFIRMED" : "REVOKED", null, null, detail,
				null));
	}

	@EventListener
	void on(AwsChangeApplied event) {
		AppliedChange change = event.change();
		if (!change.wrote()) {
			return; // only mutations are audited; unchanged resources are in the
					// request's steps
		}
		this.entries.save(new AuditEntry(event.occurredAt(), "portal", "AWS_CHANGE", event.requestId(),
				event.ticketRef(), event.serverId(), event.userName(), change.resource().name(), change.resourceArn(),
				change.outcome().name(), change.before(), change.after(), change.detail(),
				change.awsRequestIds().isEmpty() ? null : String.join(" ", change.awsRequestIds())));
	}

	@EventListener
	void on(AwsCallFailed event) {
		this.entries.save(new AuditEntry(event.occurredAt(), "portal", "AWS_CALL_FAILED", event.requestId(),
				event.ticketRef(), event.serverId(), event.userName(), event.resource().name(), null, "FAILED", null,
				null, event.detail(), event.awsRequestId()));
	}

	@EventListener
	void on(VerificationChanged event) {
		// the person who clicked "Verify now", or the portal for the sweep and the runs
		this.entries.save(new AuditEntry(event.occurredAt(), event.actor(), "VERIFICATION_CHANGED", null, null,
				event.serverId(), event.userName(), event.resource().name(), null, event.current().name(), null, null,
				((event.previous() != null) ? event.previous() : "unverified") + " -> " + event.current() + ": "
						+ event.detail(),
				null));
	}

	@EventListener
	void on(VerificationSweepRequested event) {
		this.entries.save(new AuditEntry(event.occurredAt(), event.actor(), "VERIFICATION_SWEEP_REQUESTED", null, null,
				null, null, null, null, null, null, null, "Asked to verify every managed user now", null));
	}

	@EventListener
	void on(UserLifecycleChanged event) {
		this.entries.save(new AuditEntry(event.occurredAt(), "portal", event.event().name(), event.requestId(), null,
				event.serverId(), event.userName(), null, null, null, null, null, event.summary(), null));
	}

	/** Records matching the filter, oldest first, at most {@code limit}. */
	@Transactional(readOnly = true)
	public List<AuditRecord> search(AuditFilter filter, int limit) {
		return search(filter, limit, true);
	}

	/** The newest records matching the filter, newest first, at most {@code limit}. */
	@Transactional(readOnly = true)
	public List<AuditRecord> latest(AuditFilter filter, int limit) {
		return search(filter, limit, false);
	}

	private List<AuditRecord> search(AuditFilter filter, int limit, boolean oldestFirst) {
		CriteriaBuilder cb = this.entityManager.getCriteriaBuilder();
		CriteriaQuery<AuditEntry> query = cb.createQuery(AuditEntry.class);
		Root<AuditEntry> entry = query.from(AuditEntry.class);
		List<Predicate> where = new ArrayList<>();
		if (filter.requestId() != null) {
			where.add(cb.equal(entry.get("requestId"), filter.requestId()));
		}
		if (filter.ticketRef() != null) {
			where.add(cb.equal(entry.get("ticketRef"), filter.ticketRef()));
		}
		if (filter.serverId() != null) {
			where.add(cb.equal(entry.get("serverId"), filter.serverId()));
		}
		if (filter.userName() != null) {
			where.add(cb.equal(entry.get("userName"), filter.userName()));
		}
		if (filter.from() != null) {
			where.add(cb.greaterThanOrEqualTo(entry.get("occurredAt"), filter.from()));
		}
		if (filter.to() != null) {
			where.add(cb.lessThan(entry.get("occurredAt"), filter.to()));
		}
		query.select(entry)
			.where(where.toArray(Predicate[]::new))
			.orderBy(oldestFirst ? cb.asc(entry.get("id")) : cb.desc(entry.get("id")));
		return this.entityManager.createQuery(query)
			.setMaxResults(limit)
			.getResultList()
			.stream()
			.map(AuditEntry::record)
			.toList();
	}

}
