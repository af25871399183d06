package io.transferportal.ticketing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.BatchItem;
import io.transferportal.requests.BatchViolation;
import io.transferportal.requests.InvalidBatchException;
import io.transferportal.requests.RequestBatchView;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestView;
import io.transferportal.ticketing.BatchResources.BatchItemBody;
import io.transferportal.ticketing.BatchResources.CreateBatch;
import io.transferportal.ticketing.BatchResources.ItemError;
import io.transferportal.ticketing.callback.CallbackUrls;

/**
 * Batches submitted through the API, idempotent on the ticket reference as
 * {@link ApiRequests} is: the same ticket with the same body gives back the batch already
 * made; with a different body it is a conflict. Each item gets a {@link TicketSubmission}
 * of its own (ticket {@code <batch ticket>#<index>}, the batch's callback URL), so its
 * status changes are called back and signed exactly as a single request's.
 */
@Service
class ApiBatches {

	/** As {@link ApiRequests}: sorted keys, absent fields left out. */
	private static final JsonMapper CANONICAL = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private final AccessRequestManagement requests;

	private final BatchSubmissionRepository batchSubmissions;

	private final TicketSubmissionRepository submissions;

	private final CallbackUrls callbacks;

	private final Validator validator;

	private final Clock clock;

	ApiBatches(AccessRequestManagement requests, BatchSubmissionRepository batchSubmissions,
			TicketSubmissionRepository submissions, CallbackUrls callbacks, Validator validator, Clock clock) {
		this.requests = requests;
		this.batchSubmissions = batchSubmissions;
		this.submissions = submissions;
		this.callbacks = callbacks;
		this.validator = validator;
		this.clock = clock;
	}

	/**
	 * The batch for this ticket, and whether it was created now (false: a safe replay).
	 * Not one transaction: the items are planned outside any, and the submissions are
	 * stored in the transaction that stores the batch.
	 */
	Created create(CreateBatch body, ApiCaller caller) {
		String hash = DigestUtils.sha256Hex(CANONICAL.writeValueAsString(body));
		Optional<RequestBatchView> replay = replay(body.ticketRef(), hash);
		if (replay.isPresent()) {
			return new Created(replay.get(), false);
		}
		List<BatchViolation> input = new ArrayList<>();
		if (body.callbackUrl() != null) {
			this.callbacks.problem(body.callbackUrl())
				.ifPresent((problem) -> input.add(new BatchViolation(-1, "callbackUrl", problem)));
		}
		List<BatchItemBody> items = body.requests();
		if (items.size() <= AccessRequestManagement.MAX_BATCH_ITEMS) {
			for (int index = 0; index < items.size(); index++) {
				BatchItemBody item = items.get(index);
				if (item == null) {
					input.add(new BatchViolation(index, "", "must be an object"));
					continue;
				}
				for (ConstraintViolation<BatchItemBody> violation : this.validator.validate(item)) {
					input.add(new BatchViolation(index, field(violation), violation.getMessage()));
				}
			}
		}
		RequestBatchView batch = this.requests.submitBatch(body.ticketRef(), body.callbackUrl(),
				items.stream().map((item) -> (item != null) ? item.toItem() : emptyItem()).toList(), input,
				caller.actor(), (stored) -> store(stored, body, hash, caller));
		return new Created(batch, true);
	}

	private void store(RequestBatchView batch, CreateBatch body, String hash, ApiCaller caller) {
		Instant now = this.clock.instant();
		try {
			this.batchSubmissions
				.saveAndFlush(new BatchSubmission(batch.id(), body.ticketRef(), caller.clientName(), hash, now));
			if (body.callbackUrl() != null) {
				List<TicketSubmission> items = new ArrayList<>();
				for (int index = 0; index < batch.items().size(); index++) {
					RequestView item = batch.items().get(index);
					// the client's own name: callbacks are signed with that client's
					// secret
					items.add(new TicketSubmission(item.id(), body.ticketRef() + "#" + index, RequestKind.PROVISION,
							caller.clientName(), hash, body.callbackUrl(), now));
				}
				this.submissions.saveAllAndFlush(items);
			}
		}
		catch (DataIntegrityViolationException ex) {
			throw new RequestConflictException("A batch or request for ticket " + body.ticketRef()
					+ " was stored at the same moment; fetch it with GET /api/v1/request-batches?ticketRef="
					+ body.ticketRef());
		}
	}

	private Optional<RequestBatchView> replay(String ticketRef, String hash) {
		return this.batchSubmissions.findByTicketRef(ticketRef).map((submission) -> {
			if (!submission.getBodyHash().equals(hash)) {
				throw new RequestConflictException("Ticket " + ticketRef
						+ " already has a batch with different content; use a new ticket reference to ask for something else");
			}
			return this.requests.findBatch(submission.getBatchId()).orElseThrow();
		});
	}

	/**
	 * {@code sshPublicKeys[2]}, not the validator's
	 * {@code sshPublicKeys[2].<list element>}.
	 */
	private static String field(ConstraintViolation<?> violation) {
		return violation.getPropertyPath().toString().replaceAll("\\.<[^>]*>", "").replaceAll("<[^>]*>", "");
	}

	private static BatchItem emptyItem() {
		return new BatchItemBody(null, null, null, null, null, null, null, null, null, null).toItem();
	}

	/** Why the batch was refused, every item's errors. */
	static List<ItemError> errors(InvalidBatchException ex) {
		return ex.violations()
			.stream()
			.map((v) -> new ItemError((v.index() >= 0) ? v.index() : null, v.field(), v.message()))
			.toList();
	}

	record Created(RequestBatchView batch, boolean created) {
	}

}
