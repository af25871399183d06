package io.transferportal.ticketing;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.DataConflicts;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestView;
import io.transferportal.ticketing.ApiResources.CreateRequest;
import io.transferportal.ticketing.ApiResources.ModifyRequest;
import io.transferportal.ticketing.callback.CallbackUrls;

/**
 * Requests made through the API, idempotent on the ticket reference: the same ticket with
 * the same body gives back the request already made; with a different body it is a
 * conflict.
 */
@Service
class ApiRequests {

	/**
	 * Sorted keys, so the same body hashes the same whatever the order its fields arrived
	 * in.
	 */
	// absent (null) fields are left out, so that a field added to a body later does not
	// change the hash of the bodies without it
	private static final JsonMapper CANONICAL = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private final AccessRequestManagement requests;

	private final TicketSubmissionRepository submissions;

	private final CallbackUrls callbacks;

	private final Clock clock;

	ApiRequests(AccessRequestManagement requests, TicketSubmissionRepository submissions, CallbackUrls callbacks,
			Clock clock) {
		this.requests = requests;
		this.submissions = submissions;
		this.callbacks = callbacks;
		this.clock = clock;
	}

	/**
	 * The request for this ticket, and whether it was created now (false: a safe replay).
	 * Not one transaction: the plan reads AWS outside any, and the submission is stored
	 * in the transaction that stores the request.
	 */
	Created create(CreateRequest body, ApiCaller caller) {
		String hash = hash(body);
		Optional<RequestView> replay = replay(body.ticketRef(), RequestKind.PROVISION, hash);
		if (replay.isPresent()) {
			return new Created(replay.get(), false);
		}
		requireAllowedCallbackUrl(body.callbackUrl());
		RequestView view = this.requests
			.submitProvision(body.toSpec(), body.expiresAt(), body.ticketRef(), caller.actor(),
					// the client's own name: callbacks are signed with that client's
					// secret
					(stored) -> store(
							new TicketSubmission(stored.id(), body.ticketRef(), RequestKind.PROVISION,
									caller.clientName(), hash, body.callbackUrl(), this.clock.instant()),
							body.ticketRef()));
		return new Created(view, true);
	}

	/** A DEPROVISION request for a managed user, idempotent on the ticket reference. */
	@Transactional
	Created deprovision(String serverId, String userName, String ticketRef, ApiCaller caller) {
		return userRequest(RequestKind.DEPROVISION, serverId, userName, ticketRef, caller,
				() -> this.requests.submitDeprovision(serverId, userName, ticketRef, caller.actor()));
	}

	/**
	 * A MODIFY request for a managed user, idempotent on the ticket reference: the same
	 * body again is a replay, another body for the ticket a conflict.
	 */
	@Transactional
	Created modify(String serverId, String userName, ModifyRequest body, ApiCaller caller) {
		String hash = DigestUtils.sha256Hex(serverId + "/" + userName + "\n" + CANONICAL.writeValueAsString(body));
		Optional<RequestView> replay = replay(body.ticketRef(), RequestKind.MODIFY, hash);
		if (replay.isPresent()) {
			return new Created(replay.get(), false);
		}
		requireAllowedCallbackUrl(body.callbackUrl());
		RequestView view = this.requests.submitModify(serverId, userName, body.toChange(), body.ticketRef(),
				caller.actor());
		store(new TicketSubmission(view.id(), body.ticketRef(), RequestKind.MODIFY, caller.clientName(), hash,
				body.callbackUrl(), this.clock.instant()), body.ticketRef());
		return new Created(view, true);
	}

	/**
	 * An ADOPT request for a Transfer user that exists outside the portal, idempotent on
	 * the ticket reference like {@link #modify}.
	 */
	@Transactional
	Created adopt(String serverId, String userName, AdoptRequest body, ApiCaller caller) {
		String hash = DigestUtils.sha256Hex(serverId + "/" + userName + "\n" + CANONICAL.writeValueAsString(body));
		Optional<RequestView> replay = replay(body.ticketRef(), RequestKind.ADOPT, hash);
		if (replay.isPresent()) {
			return new Created(replay.get(), false);
		}
		requireAllowedCallbackUrl(body.callbackUrl());
		RequestView view = this.requests.submitAdopt(body.toAdoption(serverId, userName), body.ticketRef(),
				caller.actor());
		store(new TicketSubmission(view.id(), body.ticketRef(), RequestKind.ADOPT, caller.clientName(), hash,
				body.callbackUrl(), this.clock.instant()), body.ticketRef());
		return new Created(view, true);
	}

	/** A REPAIR request for a managed user, idempotent on the ticket reference. */
	@Transactional
	Created repair(String serverId, String userName, String ticketRef, ApiCaller caller) {
		return userRequest(RequestKind.REPAIR, serverId, userName, ticketRef, caller,
				() -> this.requests.submitRepair(serverId, userName, ticketRef, caller.actor()));
	}

	private Created userRequest(RequestKind kind, String serverId, String userName, String ticketRef, ApiCaller caller,
			Supplier<RequestView> submission) {
		String hash = DigestUtils.sha256Hex(serverId + "/" + userName);
		Optional<RequestView> replay = replay(ticketRef, kind, hash);
		if (replay.isPresent()) {
			return new Created(replay.get(), false);
		}
		RequestView view = submission.get();
		store(new TicketSubmission(view.id(), ticketRef, kind, caller.clientName(), hash, null, this.clock.instant()),
				ticketRef);
		return new Created(view, true);
	}

	/** A callback URL the portal may call, before anything is stored. */
	private void requireAllowedCallbackUrl(@Nullable String url) {
		if (url != null) {
			this.callbacks.problem(url).ifPresent((problem) -> {
				throw new InvalidUserSpecException(List.of(new FieldViolation("callbackUrl", problem)));
			});
		}
	}

	/**
	 * Written now, so that two submissions of one ticket at the same moment end in a
	 * conflict that says so (the database keeps one).
	 */
	private void store(TicketSubmission submission, String ticketRef) {
		try {
			this.submissions.saveAndFlush(submission);
		}
		catch (DataIntegrityViolationException ex) {
			if (!DataConflicts.isConflict(ex)) {
				throw ex;
			}
			throw new RequestConflictException("A request for ticket " + ticketRef
					+ " was stored at the same moment; fetch it with GET /api/v1/requests?ticketRef=" + ticketRef);
		}
	}

	private Optional<RequestView> replay(String ticketRef, RequestKind kind, String hash) {
		return this.submissions.findByTicketRefAndKind(ticketRef, kind).map((submission) -> {
			if (!submission.getBodyHash().equals(hash)) {
				throw new RequestConflictException("Ticket " + ticketRef
						+ " already has a request with different content; use a new ticket reference to ask for something else");
			}
			return this.requests.find(submission.getRequestId()).orElseThrow();
		});
	}

	private static String hash(CreateRequest body) {
		return DigestUtils.sha256Hex(CANONICAL.writeValueAsString(body));
	}

	record Created(RequestView request, boolean created) {
	}

}
