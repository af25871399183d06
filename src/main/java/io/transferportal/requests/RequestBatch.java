package io.transferportal.requests;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * Requests submitted together: ordinary PROVISION requests, each pointing to its batch,
 * approved or rejected together and then run, retried and called back one by one. The
 * batch itself holds no state of its own beyond how it came in; its progress is its
 * items'.
 */
@Entity
@Table(name = "request_batch")
class RequestBatch {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String ticketRef;

	private String requestedBy;

	private @Nullable String callbackUrl;

	private int itemCount;

	private Instant createdAt;

	protected RequestBatch() {
		this.ticketRef = "";
		this.requestedBy = "";
		this.createdAt = Instant.EPOCH;
	}

	RequestBatch(String ticketRef, String requestedBy, @Nullable String callbackUrl, int itemCount, Instant now) {
		this.ticketRef = ticketRef;
		this.requestedBy = requestedBy;
		this.callbackUrl = callbackUrl;
		this.itemCount = itemCount;
		this.createdAt = now;
	}

	long getId() {
		if (this.id == null) {
			throw new IllegalStateException("The batch is not stored yet");
		}
		return this.id;
	}

	String getTicketRef() {
		return this.ticketRef;
	}

	String getRequestedBy() {
		return this.requestedBy;
	}

	@Nullable String getCallbackUrl() {
		return this.callbackUrl;
	}

	int getItemCount() {
		return this.itemCount;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

}
