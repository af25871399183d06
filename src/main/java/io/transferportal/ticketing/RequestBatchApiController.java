package io.transferportal.ticketing;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.apache.commons.lang3.StringUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.InvalidBatchException;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.ticketing.ApiResources.Approval;
import io.transferportal.ticketing.ApiResources.Page;
import io.transferportal.ticketing.ApiResources.Rejection;
import io.transferportal.ticketing.BatchResources.Batch;
import io.transferportal.ticketing.BatchResources.BatchSummary;
import io.transferportal.ticketing.BatchResources.CreateBatch;

/**
 * Many Transfer users asked for at once: a batch of ordinary requests, approved or
 * rejected together, then run, retried and called back one by one.
 */
@RestController
@RequestMapping(path = "/api/v1/request-batches", produces = "application/json")
@Validated
@Tag(name = "Request batches",
		description = "Ask for up to 500 Transfer users at once, follow them, approve or reject them together")
class RequestBatchApiController {

	private final ApiBatches api;

	private final AccessRequestManagement requests;

	RequestBatchApiController(ApiBatches api, AccessRequestManagement requests) {
		this.api = api;
		this.requests = requests;
	}

	@PostMapping(consumes = "application/json")
	@Operation(summary = "Request up to 500 Transfer users at once",
			description = "Validates and plans every item; if any item is invalid nothing is stored and the 400 problem lists every invalid field of every item ('errors': index, field, message). Idempotent on ticketRef: the same body again returns the same batch (200); a different body is a conflict (409).")
	ResponseEntity<Batch> create(@Valid @RequestBody CreateBatch body, Authentication caller) {
		ApiBatches.Created result = this.api.create(body, (ApiCaller) caller);
		Batch resource = Batch.of(result.batch());
		if (!result.created()) {
			return ResponseEntity.ok(resource);
		}
		return ResponseEntity.created(URI.create(resource.links().get("self"))).body(resource);
	}

	@GetMapping("/{id}")
	@Operation(summary = "One batch: its items with their statuses, and how many are in each status")
	Batch get(@PathVariable long id) {
		return Batch.of(this.requests.findBatch(id)
			.orElseThrow(() -> new RequestNotFoundException("Batch " + id + " does not exist")));
	}

	@GetMapping
	@Operation(summary = "Batches, newest first, with their counts by status; or the batch of one ticket")
	Page<BatchSummary> list(@RequestParam(required = false) @Nullable String ticketRef,
			@RequestParam(defaultValue = "0") @Min(0) @Max(100000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		String ticket = StringUtils.trimToNull(ticketRef);
		if (ticket != null) {
			List<BatchSummary> found = this.requests.findBatch(ticket)
				.map((batch) -> new BatchSummary(batch.id(), batch.ticketRef(), batch.requestedBy(), batch.itemCount(),
						batch.createdAt(), batch.counts(), BatchResources.batchLinks(batch.id())))
				.stream()
				.toList();
			return new Page<>(found, 0, size, found.size(), found.isEmpty() ? 0 : 1);
		}
		var result = this.requests.batches(PageRequest.of(page, size));
		return new Page<>(result.map(BatchSummary::of).getContent(), page, size, result.getTotalElements(),
				result.getTotalPages());
	}

	@PostMapping(path = "/{id}/approve", consumes = "application/json")
	@Operation(summary = "Approve every item that waits (a person with the APPROVER role, never the submitter)")
	Batch approve(@PathVariable long id, @Valid @RequestBody Approval body, Authentication caller) {
		return Batch.of(this.requests.approveBatch(id, ApiCaller.actor(caller), body.comment()));
	}

	@PostMapping(path = "/{id}/reject", consumes = "application/json")
	@Operation(summary = "Reject every item that waits (a person with the APPROVER role, never the submitter)")
	Batch reject(@PathVariable long id, @Valid @RequestBody Rejection body, Authentication caller) {
		return Batch.of(this.requests.rejectBatch(id, ApiCaller.actor(caller), body.reason()));
	}

	/** Every invalid field of every item, each with the item's index. */
	@ExceptionHandler(InvalidBatchException.class)
	ResponseEntity<ProblemDetail> invalid(InvalidBatchException ex) {
		List<Integer> items = ex.invalidItems();
		String detail = items.isEmpty()
				? ex.violations().size() + " field(s) are invalid; nothing was stored and no AWS write was made."
				: items.size() + " item(s) are invalid (" + StringUtils.join(items, ", ")
						+ "); nothing was stored and no AWS write was made.";
		ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_REQUEST, "validation", "Invalid batch", detail);
		problem.setProperty("errors", ApiBatches.errors(ex));
		problem.setProperty("invalidItems", items);
		return ResponseEntity.badRequest().body(problem);
	}

}
