package io.transferportal.ticketing;

import java.net.URI;
import java.time.Duration;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Health;
import io.transferportal.requests.LifecycleState;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.ReviewDecision;
import io.transferportal.requests.ReviewResult;
import io.transferportal.ticketing.ApiResources.ModifyRequest;
import io.transferportal.ticketing.ApiResources.Page;
import io.transferportal.ticketing.ApiResources.Request;
import io.transferportal.ticketing.ApiResources.User;
import io.transferportal.ticketing.ApiReviews.Review;
import io.transferportal.ticketing.ApiReviews.ReviewDue;

/** The Transfer users the portal manages, with their live checks. */
@RestController
@RequestMapping(path = "/api/v1/users", produces = "application/json")
@Validated
@Tag(name = "Users",
		description = "Managed Transfer users: status, verification, change, repair, adoption, deprovisioning, access reviews")
class UserApiController {

	/** The reviews list shows users due within this, as the reviews page does. */
	static final Duration REVIEW_NOTICE = Duration.ofDays(14);

	/**
	 * The last page a client may ask for of any list of the API: 100 rows a page, so the
	 * offset stays an int; a page beyond is a 400, never an overflow.
	 */
	static final int MAX_PAGE = 1_000_000;

	private final AccessRequestManagement requests;

	private final ApiRequests api;

	UserApiController(AccessRequestManagement requests, ApiRequests api) {
		this.requests = requests;
		this.api = api;
	}

	/**
	 * A page of the active managed users, filtered in the database (no AWS call); the
	 * page number is bounded so that no offset overflows.
	 */
	@GetMapping
	@Operation(summary = "Active managed users with their last checks, paged, filtered by part of the server id or "
			+ "user name (q), health and lifecycle state")
	Page<User> list(@RequestParam(required = false) @Size(max = 100) @Nullable String q,
			@RequestParam(required = false) @Nullable Health health,
			@RequestParam(required = false) @Nullable LifecycleState lifecycle,
			@RequestParam(defaultValue = "0") @Min(0) @Max(MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		var result = this.requests.managedUsers(q, health, lifecycle,
				PageRequest.of(page, size, AccessRequestManagement.USER_ORDER));
		return new Page<>(result.map(User::of).getContent(), page, size, result.getTotalElements(),
				result.getTotalPages());
	}

	@GetMapping("/{serverId}/{userName}")
	@Operation(summary = "One managed user with every check, its SSH keys and how to connect")
	User get(@PathVariable String serverId, @PathVariable String userName) {
		return User.of(
				this.requests.managedUser(serverId, userName)
					.orElseThrow(() -> new RequestNotFoundException(
							"User " + userName + " on " + serverId + " is not managed by the portal")),
				this.requests.connection(serverId, userName).orElse(null), this.requests.sshKeys(serverId, userName));
	}

	@PostMapping("/{serverId}/{userName}/verify")
	@Operation(summary = "Verify the user's resources now")
	User verify(@PathVariable String serverId, @PathVariable String userName, Authentication caller) {
		return User.of(this.requests.verify(serverId, userName, ApiCaller.actor(caller)));
	}

	@PostMapping("/{serverId}/{userName}/repair")
	@Operation(summary = "Request a repair back to the approved state (a REPAIR request that needs approval)",
			description = "Idempotent on ticketRef.")
	ResponseEntity<Request> repair(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam @NotBlank @Size(max = 100) @Pattern(regexp = ApiResources.TICKET_REF,
					message = ApiResources.TICKET_REF_MESSAGE) String ticketRef,
			Authentication caller) {
		return accepted(this.api.repair(serverId, userName, ticketRef, (ApiCaller) caller));
	}

	@PatchMapping(path = "/{serverId}/{userName}", consumes = "application/json")
	@Operation(
			summary = "Request a change of the user's SSH keys, access level or tags (a MODIFY request that "
					+ "needs approval); absent fields stay as they are",
			description = "Idempotent on ticketRef: the same body again answers 200 with the request, another body "
					+ "409.")
	ResponseEntity<Request> modify(@PathVariable String serverId, @PathVariable String userName,
			@Valid @RequestBody ModifyRequest body, Authentication caller) {
		ApiRequests.Created result = this.api.modify(serverId, userName, body, (ApiCaller) caller);
		return result.created() ? accepted(result) : ResponseEntity.ok(Request.of(result.request()));
	}

	@PostMapping(path = "/{serverId}/{userName}/adopt", consumes = "application/json")
	@Operation(
			summary = "Request the adoption of a Transfer user that exists outside the portal (an ADOPT request "
					+ "that needs approval): its role and SSH keys are kept, the plan shows what the portal changes "
					+ "to bring it to its rules",
			description = "Idempotent on ticketRef: the same body again answers 200 with the request, another body "
					+ "409. 404 if the user does not exist; 409 if the portal already manages it.")
	ResponseEntity<Request> adopt(@PathVariable String serverId, @PathVariable String userName,
			@Valid @RequestBody AdoptRequest body, Authentication caller) {
		ApiRequests.Created result = this.api.adopt(serverId, userName, body, (ApiCaller) caller);
		return result.created() ? accepted(result) : ResponseEntity.ok(Request.of(result.request()));
	}

	@DeleteMapping("/{serverId}/{userName}")
	@Operation(summary = "Request the user's removal (a DEPROVISION request that needs approval)",
			description = "Idempotent on ticketRef.")
	ResponseEntity<Request> deprovision(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam @NotBlank @Size(max = 100) @Pattern(regexp = ApiResources.TICKET_REF,
					message = ApiResources.TICKET_REF_MESSAGE) String ticketRef,
			Authentication caller) {
		return accepted(this.api.deprovision(serverId, userName, ticketRef, (ApiCaller) caller));
	}

	@GetMapping("/reviews")
	@Operation(summary = "Users whose periodic access review is overdue or due within 14 days, the longest "
			+ "unreviewed first (empty when reviews are off)")
	Page<ReviewDue> reviewsDue(@RequestParam(defaultValue = "0") @Min(0) @Max(MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		var result = this.requests.reviewsDue(REVIEW_NOTICE, PageRequest.of(page, size));
		return new Page<>(result.map(ReviewDue::of).getContent(), page, size, result.getTotalElements(),
				result.getTotalPages());
	}

	@PostMapping(path = "/{serverId}/{userName}/review", consumes = "application/json")
	@Operation(
			summary = "Review the user's access: CONFIRM (200 with the user) or REVOKE (202 with the DEPROVISION "
					+ "request, which needs no second approval)",
			description = "Approvers only (a personal token), never the person who asked for the access; a comment "
					+ "is required to revoke. 409 when periodic reviews are off.")
	ResponseEntity<?> review(@PathVariable String serverId, @PathVariable String userName,
			@Valid @RequestBody Review body, Authentication caller) {
		ReviewResult result = this.requests.review(serverId, userName, body.toDecision(), body.comment(),
				ApiCaller.actor(caller));
		if (body.toDecision() == ReviewDecision.REVOKE && result.request() != null) {
			Request resource = Request.of(result.request());
			return ResponseEntity.accepted().location(URI.create(resource.links().get("self"))).body(resource);
		}
		return ResponseEntity.ok(User.of(result.user()));
	}

	private static ResponseEntity<Request> accepted(ApiRequests.Created result) {
		Request resource = Request.of(result.request());
		return ResponseEntity.accepted().location(URI.create(resource.links().get("self"))).body(resource);
	}

}
