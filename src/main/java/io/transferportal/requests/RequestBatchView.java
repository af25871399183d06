package io.transferportal.requests;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A batch as other modules and the web layer see it: how it came in, how many of its
 * items are in each status, and its items in the order they were submitted.
 *
 * @param id batch id
 * @param ticketRef the ticket the batch was submitted for (each item carries it too)
 * @param requestedBy who submitted it
 * @param callbackUrl where its items' status changes are called back, if anywhere
 * @param itemCount how many items it has
 * @param createdAt when it was submitted
 * @param counts items per status (every status, zero where none)
 * @param items the items, in submission order
 */
public record RequestBatchView(long id, String ticketRef, String requestedBy, @Nullable String callbackUrl,
		int itemCount, Instant createdAt, Map<RequestStatus, Long> counts, List<RequestView> items) {

	static RequestBatchView of(RequestBatch batch, List<AccessRequest> items) {
		Map<RequestStatus, Long> counts = zeroCounts();
		items.forEach((item) -> counts.merge(item.getStatus(), 1L, Long::sum));
		return new RequestBatchView(batch.getId(), batch.getTicketRef(), batch.getRequestedBy(), batch.getCallbackUrl(),
				batch.getItemCount(), batch.getCreatedAt(), counts, items.stream().map(RequestView::of).toList());
	}

	static Map<RequestStatus, Long> zeroCounts() {
		Map<RequestStatus, Long> counts = new EnumMap<>(RequestStatus.class);
		for (RequestStatus status : RequestStatus.values()) {
			counts.put(status, 0L);
		}
		return counts;
	}

	/** Whether every item waits for a decision: the batch can be approved or rejected. */
	public boolean awaitingDecision() {
		return this.counts.get(RequestStatus.PENDING_APPROVAL) + this.counts.get(RequestStatus.NEEDS_REAPPROVAL) > 0;
	}

	/**
	 * A batch without its items, for lists.
	 *
	 * @param id batch id
	 * @param ticketRef its ticket
	 * @param requestedBy who submitted it
	 * @param itemCount how many items it has
	 * @param createdAt when it was submitted
	 * @param counts items per status
	 */
	public record Summary(long id, String ticketRef, String requestedBy, int itemCount, Instant createdAt,
			Map<RequestStatus, Long> counts) {
	}

}
