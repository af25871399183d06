package io.transferportal.ticketing;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import io.transferportal.requests.RequestKind;

/**
 * How a request came in through the API: its ticket, the body's hash (for safe replays)
 * and the callback URL.
 */
@Entity
@Table(name = "ticket_submission")
class TicketSubmission {

	@Id
	private long requestId;

	private String ticketRef;

	@Enumerated(EnumType.STRING)
	private RequestKind kind;

	private String client;

	private String bodyHash;

	private @Nullable String callbackUrl;

	private Instant createdAt;

	protected TicketSubmission() {
		this.ticketRef = "";
		this.kind = RequestKind.PROVISION;
		this.client = "";
		this.bodyHash = "";
		this.createdAt = Instant.EPOCH;
	}

	TicketSubmission(long requestId, String ticketRef, RequestKind kind, String client, String bodyHash,
			@Nullable String callbackUrl, Instant createdAt) {
		this.requestId = requestId;
		this.ticketRef = ticketRef;
		this.kind = kind;
		this.client = client;
		this.bodyHash = bodyHash;
		this.callbackUrl = callbackUrl;
		this.createdAt = createdAt;
	}

	long getRequestId() {
		return this.requestId;
	}

	String getBodyHash() {
		return this.bodyHash;
	}

}
