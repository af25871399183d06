package io.transferportal.requests;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** An approval or rejection, bound to the plan fingerprint the approver saw. */
@Entity
@Table(name = "request_decision")
class RequestDecision {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@ManyToOne(optional = false)
	@JoinColumn(name = "request_id")
	private AccessRequest request;

	private String decidedBy;

	@Enumerated(EnumType.STRING)
	private Decision decision;

	private @Nullable String comment;

	private String planFingerprint;

	private Instant decidedAt;

	protected RequestDecision() {
		this.request = null;
		this.decidedBy = "";
		this.decision = Decision.APPROVE;
		this.planFingerprint = "";
		this.decidedAt = Instant.EPOCH;
	}

	RequestDecision(AccessRequest request, String decidedBy, Decision decision, @Nullable String comment,
			String planFingerprint, Instant decidedAt) {
		this.request = request;
		this.decidedBy = decidedBy;
		this.decision = decision;
		this.comment = comment;
		this.planFingerprint = planFingerprint;
		this.decidedAt = decidedAt;
	}

	String getDecidedBy() {
		return this.decidedBy;
	}

	Decision getDecision() {
		return this.decision;
	}

	@Nullable String getComment() {
		return this.comment;
	}

	String getPlanFingerprint() {
		return this.planFingerprint;
	}

	Instant getDecidedAt() {
		return this.decidedAt;
	}

	enum Decision {

		APPROVE, REJECT

	}

}
