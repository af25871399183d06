package io.transferportal.ticketing;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * How a batch came in through the API: its ticket, the body's hash (for safe replays) and
 * the client. Each item's callbacks go through a {@link TicketSubmission} of its own.
 */
@Entity
@Table(name = "batch_submission")
class BatchSubmission {

	@Id
	private long batchId;

	private String ticketRef;

	private String client;

	private String bodyHash;

	private Instant createdAt;

	protected BatchSubmission() {
		this.ticketRef = "";
		this.client = "";
		this.bodyHash = "";
		this.createdAt = Instant.EPOCH;
	}

	BatchSubmission(long batchId, String ticketRef, String client, String bodyHash, Instant createdAt) {
		this.batchId = batchId;
		this.ticketRef = ticketRef;
		this.client = client;
		this.bodyHash = bodyHash;
		this.createdAt = createdAt;
	}

	long getBatchId() {
		return this.batchId;
	}

	String getBodyHash() {
		return this.bodyHash;
	}

}
