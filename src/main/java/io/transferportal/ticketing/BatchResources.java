package io.transferportal.ticketing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.BatchItem;
import io.transferportal.requests.RequestBatchView;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;

/**
 * The JSON documents of {@code /api/v1/request-batches}. Field names are part of the
 * public contract.
 */
final class BatchResources {

	private BatchResources() {
	}

	static Map<String, String> batchLinks(long id) {
		String self = "/api/v1/request-batches/" + id;
		return Map.of("self", self, "approve", self + "/approve", "reject", self + "/reject");
	}

	/**
	 * {@code POST /api/v1/request-batches}. The ticket is at most 95 characters: each
	 * item's callbacks carry it with the item's index ({@code INC-7#12}). The items are
	 * validated one by one by the controller, so that every item's errors come back at
	 * once with its index.
	 */
	record CreateBatch(
			@NotBlank @Size(max = 95) @Pattern(regexp = ApiResources.TICKET_REF,
					message = ApiResources.TICKET_REF_MESSAGE) String ticketRef,
			@Size(max = 2048) @Pattern(regexp = ApiResources.PRINTABLE) @Nullable String callbackUrl,
			@NotNull List<BatchItemBody> requests) {
	}

	/**
	 * One item: the fields of {@code POST /api/v1/requests} but the ticket and callback.
	 */
	record BatchItemBody(@Size(max = 100) @Pattern(regexp = ApiResources.PRINTABLE) String serverId,
			@Size(max = 100) @Pattern(regexp = ApiResources.PRINTABLE) String userName,
			@Size(max = 100) @Pattern(regexp = ApiResources.PRINTABLE) String bucket,
			@Size(max = 600) @Pattern(regexp = ApiResources.PRINTABLE) @Nullable String homePrefix,
			@Size(max = 300) @Pattern(regexp = ApiResources.PRINTABLE) String kmsKeyArn,
			@Size(max = 50) List<@Size(max = 4096) String> sshPublicKeys, @Nullable AccessLevel accessLevel,
			@Size(max = 2048) @Pattern(regexp = ApiResources.PRINTABLE) @Nullable String roleArn,
			@Size(max = 50) @Nullable Map<@Size(max = 128) String, @Size(max = 256) String> tags,
			@Nullable Instant expiresAt) {

		BatchItem toItem() {
			return new BatchItem(new UserSpec(this.serverId, this.userName, this.bucket, this.homePrefix,
					this.kmsKeyArn, this.sshPublicKeys, this.accessLevel, this.roleArn, this.tags), this.expiresAt);
		}

	}

	/**
	 * One entry of a batch's validation problem; {@code index} is absent for the batch's
	 * own fields.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ItemError(@Nullable Integer index, String field, String message) {
	}

	record Item(int index, long requestId, String serverId, String userName, RequestStatus status,
			@Nullable String failureMessage, Map<String, String> links) {

		static Item of(int index, RequestView view) {
			String self = "/api/v1/requests/" + view.id();
			return new Item(index, view.id(), view.serverId(), view.userName(), view.status(), view.failure(),
					Map.of("request", self, "retry", self + "/retry"));
		}

	}

	record Batch(long id, String ticketRef, String requestedBy, @Nullable String callbackUrl, int itemCount,
			Instant createdAt, Map<RequestStatus, Long> counts, List<Item> items, Map<String, String> links) {

		static Batch of(RequestBatchView view) {
			List<RequestView> views = view.items();
			return new Batch(view.id(), view.ticketRef(), view.requestedBy(), view.callbackUrl(), view.itemCount(),
					view.createdAt(), view.counts(),
					IntStream.range(0, views.size()).mapToObj((i) -> Item.of(i, views.get(i))).toList(),
					batchLinks(view.id()));
		}

	}

	/** A batch in a list: its counts, without its items. */
	record BatchSummary(long id, String ticketRef, String requestedBy, int itemCount, Instant createdAt,
			Map<RequestStatus, Long> counts, Map<String, String> links) {

		static BatchSummary of(RequestBatchView.Summary summary) {
			return new BatchSummary(summary.id(), summary.ticketRef(), summary.requestedBy(), summary.itemCount(),
					summary.createdAt(), summary.counts(), batchLinks(summary.id()));
		}

	}

}
