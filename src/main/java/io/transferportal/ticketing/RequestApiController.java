package io.transferportal.ticketing;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.apache.commons.lang3.StringUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.RequestStatus;
import io.transferportal.ticketing.ApiResources.Approval;
import io.transferportal.ticketing.ApiResources.Closure;
import io.transferportal.ticketing.ApiResources.CreateRequest;
import io.transferportal.ticketing.ApiResources.Page;
import io.transferportal.ticketing.ApiResources.Rejection;
import io.transferportal.ticketing.ApiResources.Request;

/** Requests for Transfer users, as ticketing systems see them. */
@RestController
@RequestMapping(path = "/api/v1/requests", produces = "application/json")
@Validated
@Tag(name = "Requests", description = "Ask for a Transfer user, follow the request, approve or reject it")
class RequestApiController {

	private final ApiRequests api;

	private final AccessRequestManagement requests;

	RequestApiController(ApiRequests api, AccessRequestManagement requests) {
		this.api = api;
		this.requests = requests;
	}

	@PostMapping(consumes = "application/json")
	@Operation(summary = "Request a Transfer user",
			description = "Computes and stores the plan. Idempotent on ticketRef: the same body again returns the same request (200); a different body is a conflict (409).")
	ResponseEntity<Request> create(@Valid @RequestBody CreateRequest body, Authentication caller) {
		ApiRequests.Created result = this.api.create(body, (ApiCaller) caller);
		Request resource = Request.of(result.request());
		if (!result.created()) {
			return ResponseEntity.ok(resource);
		}
		return ResponseEntity.created(URI.create(resource.links().get("self"))).body(resource);
	}

	@GetMapping("/{id}")
	@Operation(summary = "One request with its plan")
	Request get(@PathVariable long id) {
		return Request.of(this.requests.find(id)
			.orElseThrow(() -> new RequestNotFoundException("Request " + id + " does not exist")));
	}

	@GetMapping
	@Operation(summary = "Requests, newest first, optionally by ticket reference and status")
	Page<Request> list(@RequestParam(required = false) @Nullable String ticketRef,
			@RequestParam(required = false) @Nullable RequestStatus status,
			@RequestParam(defaultValue = "0") @Min(0) @Max(UserApiController.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		var result = this.requests.search(StringUtils.trimToNull(ticketRef), status, PageRequest.of(page, size));
		return new Page<>(result.map(Request::of).getContent(), page, size, result.getTotalElements(),
				result.getTotalPages());
	}

	@PostMapping(path = "/{id}/approve", consumes = "application/json")
	@Operation(summary = "Approve (a person with the APPROVER role, never the requester)")
	Request approve(@PathVariable long id, @Valid @RequestBody Approval body, Authentication caller) {
		return Request.of(this.requests.approve(id, ApiCaller.actor(caller), body.comment()));
	}

	@PostMapping(path = "/{id}/reject", consumes = "application/json")
	@Operation(summary = "Reject (a person with the APPROVER role, never the requester)")
	Request reject(@PathVariable long id, @Valid @RequestBody Rejection body, Authentication caller) {
		return Request.of(this.requests.reject(id, ApiCaller.actor(caller), body.reason()));
	}

	@PostMapping("/{id}/cancel")
	@Operation(summary = "Cancel a request that waits for approval (its requester only)")
	Request cancel(@PathVariable long id, Authentication caller) {
		return Request.of(this.requests.cancel(id, ApiCaller.actor(caller)));
	}

	@PostMapping(path = "/{id}/close", consumes = "application/json")
	@Operation(summary = "Close an open request for good, with a reason (a person with the ADMIN role; "
			+ "refused while a run is under way)")
	Request close(@PathVariable long id, @Valid @RequestBody Closure body, Authentication caller) {
		return Request.of(this.requests.close(id, ApiCaller.actor(caller), body.reason()));
	}

	@PostMapping("/{id}/retry")
	@Operation(
			summary = "Run a failed request's approved plan again (its requester, an approver, an admin, or requests:write)")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Request retry(@PathVariable long id, Authentication caller) {
		return Request.of(this.requests.retry(id, ApiCaller.actor(caller)));
	}

}
