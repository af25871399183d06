package io.transferportal.requests;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.ResourceKind;

/**
 * Progress of one resource in one run of a request, stored as it happens for live
 * display.
 */
@Entity
@Table(name = "request_step")
class RequestStep {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private long requestId;

	@Enumerated(EnumType.STRING)
	private ResourceKind resource;

	@Enumerated(EnumType.STRING)
	private StepStatus status;

	private @Nullable String outcome;

	private @Nullable String detail;

	private Instant startedAt;

	private @Nullable Instant finishedAt;

	protected RequestStep() {
		this.resource = ResourceKind.TRANSFER_USER;
		this.status = StepStatus.RUNNING;
		this.startedAt = Instant.EPOCH;
	}

	RequestStep(long requestId, ResourceKind resource, Instant startedAt) {
		this.requestId = requestId;
		this.resource = resource;
		this.status = StepStatus.RUNNING;
		this.startedAt = startedAt;
	}

	void finish(String outcome, String detail, Instant at) {
		this.status = StepStatus.DONE;
		this.outcome = outcome;
		this.detail = detail;
		this.finishedAt = at;
	}

	/** A run takes over the row an earlier run left running or failed. */
	void restart(Instant at) {
		this.status = StepStatus.RUNNING;
		this.outcome = null;
		this.detail = null;
		this.startedAt = at;
		this.finishedAt = null;
	}

	void fail(String detail, Instant at) {
		this.status = StepStatus.FAILED;
		this.detail = (detail.length() > 2000) ? detail.substring(0, 2000) : detail;
		this.finishedAt = at;
	}

	RequestStepView view() {
		return new RequestStepView(this.resource, this.status.name(), this.outcome, this.detail, this.startedAt,
				this.finishedAt);
	}

	ResourceKind getResource() {
		return this.resource;
	}

	StepStatus getStatus() {
		return this.status;
	}

	enum StepStatus {

		RUNNING, DONE, FAILED

	}

}
