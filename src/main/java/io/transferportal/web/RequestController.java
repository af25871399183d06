package io.transferportal.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;
import io.transferportal.requests.UserTakenException;

/**
 * Requests in the browser: ask for a user with a plan preview, follow a request live,
 * decide on it.
 */
@Controller
class RequestController {

	private static final Set<RequestStatus> RUNNING = Set.of(RequestStatus.APPROVED, RequestStatus.PROVISIONING);

	/**
	 * Statuses a request does not leave by itself or by anyone's action: an open page of
	 * a request in any other status follows it.
	 */
	private static final Set<RequestStatus> FINAL = Set.of(RequestStatus.ACTIVE, RequestStatus.REJECTED,
			RequestStatus.CANCELLED, RequestStatus.DELETED);

	/**
	 * A rejection without a reason leaves the requester guessing; the API requires one
	 * too.
	 */
	static final String REASON_REQUIRED = "Give a reason: the requester reads it beside the request's status";

	static final String CLOSE_REASON_REQUIRED = "Say why it is closed: the requester and the audit log read it";

	private final AccessRequestManagement requests;

	private final ProvisioningEngine engine;

	private final AuditTrail audit;

	private final FormChoices choices;

	RequestController(AccessRequestManagement requests, ProvisioningEngine engine, AuditTrail audit,
			FormChoices choices) {
		this.requests = requests;
		this.engine = engine;
		this.audit = audit;
		this.choices = choices;
	}

	/**
	 * The requests list: filters, order and page are query parameters. Invalid ones are
	 * field errors above an empty list, never an error page.
	 */
	@GetMapping("/requests")
	String list(@Valid @ModelAttribute("search") @Nullable RequestListForm search, BindingResult result, Model model) {
		// a value that is not even of its type (an unknown status) leaves no form to read
		RequestListForm list = (search != null) ? search : RequestListForm.ALL;
		model.addAttribute("list", list);
		model.addAttribute("statuses", RequestStatus.values());
		model.addAttribute("page", result.hasErrors() ? Page.empty(list.pageable())
				: this.requests.search(list.toSearch(), list.pageable()));
		return "requests/requestList";
	}

	@GetMapping("/requests/new")
	String form(Model model) {
		model.addAttribute("form", RequestForm.empty());
		return showForm(model);
	}

	/**
	 * Validates and plans without storing anything, and shows the plan under the form.
	 * The form posts to its own address ({@code preview} names the button), so that the
	 * form with its plan or errors stays at {@code /requests/new}.
	 */
	@PostMapping(path = "/requests/new", params = "preview")
	String previewHere(@Valid @ModelAttribute("form") RequestForm form, BindingResult result, Model model,
			Authentication user) {
		return preview(form, result, model, user);
	}

	@PostMapping("/requests/preview")
	String preview(@Valid @ModelAttribute("form") RequestForm form, BindingResult result, Model model,
			Authentication user) {
		if (FormFields.refusePrivateKey(form.sshPublicKeys(), form.withoutKeys(), result, model)) {
			return showForm(model);
		}
		if (!result.hasErrors() && valid(form, result)) {
			try {
				model.addAttribute("plan", PlanView.of(this.requests.preview(form.toSpec(), SignedIn.actor(user))));
			}
			catch (InvalidUserSpecException ex) {
				FormFields.reject(ex.violations(), result);
			}
			catch (UserTakenException ex) {
				taken(ex, result, model);
			}
			catch (ProvisioningException ex) {
				model.addAttribute("error", ex.getMessage());
			}
		}
		return showForm(model);
	}

	/** Submits; with errors the form stays at its own address. */
	@PostMapping({ "/requests", "/requests/new" })
	String submit(@Valid @ModelAttribute("form") RequestForm form, BindingResult result, Model model,
			Authentication user, RedirectAttributes redirect) {
		if (FormFields.refusePrivateKey(form.sshPublicKeys(), form.withoutKeys(), result, model) || result.hasErrors()
				|| !valid(form, result)) {
			return showForm(model);
		}
		try {
			RequestView request = this.requests.submitProvision(form.toSpec(), form.expiry(), form.ticketRef(),
					SignedIn.actor(user));
			redirect.addFlashAttribute("message",
					"Request " + request.id() + " submitted; an approver will review its plan.");
			return "redirect:/requests/" + request.id();
		}
		catch (InvalidUserSpecException ex) {
			FormFields.reject(ex.violations(), result);
		}
		catch (UserTakenException ex) {
			taken(ex, result, model);
		}
		catch (PlanNotApplicableException ex) {
			model.addAttribute("plan", PlanView.of(ex.plan()));
			model.addAttribute("error", "The plan cannot be applied safely; nothing was submitted.");
		}
		catch (RequestConflictException | ProvisioningException ex) {
			model.addAttribute("error", ex.getMessage());
		}
		return showForm(model);
	}

	@GetMapping("/requests/{id}")
	String detail(@PathVariable long id, Model model, Authentication user) {
		RequestView request = load(id);
		model.addAttribute("request", request);
		model.addAttribute("plan", PlanView.of(request.plan()));
		model.addAttribute("steps", this.requests.steps(id));
		model.addAttribute("running", RUNNING.contains(request.status()));
		model.addAttribute("live", !FINAL.contains(request.status()));
		model.addAttribute("timeline", this.audit.search(AuditFilter.forRequest(id), 500));
		model.addAttribute("ownRequest", request.requestedBy().equalsIgnoreCase(user.getName()));
		model.addAttribute("connection", (request.status() == RequestStatus.ACTIVE)
				? this.requests.connection(request.serverId(), request.userName()).orElse(null) : null);
		model.addAttribute("fingerprints", this.engine.describeSshKeys(request.plan().spec().sshPublicKeys()));
		// a page of the user once the portal manages it (a deprovisioned one included)
		model.addAttribute("userLink", request.kind() != RequestKind.PROVISION
				|| request.status() == RequestStatus.ACTIVE || request.status() == RequestStatus.DELETED);
		Plan superseded = request.supersededPlan();
		model.addAttribute("comparison", (request.status() == RequestStatus.NEEDS_REAPPROVAL && superseded != null)
				? PlanComparison.between(superseded, request.plan()) : null);
		return "requests/requestDetail";
	}

	/**
	 * The live part of the detail page, polled by htmx while the request can still
	 * change: its steps while it runs. Once its status differs from the one the page
	 * shows ({@code shown}), htmx reloads the whole page ({@code HX-Refresh}), so that
	 * the actions, the plan and the banners follow (an approval elsewhere, a new plan
	 * after NEEDS_REAPPROVAL, a retry).
	 */
	@GetMapping("/requests/{id}/progress")
	String progress(@PathVariable long id, @RequestParam(required = false) @Nullable RequestStatus shown, Model model,
			HttpServletResponse response) {
		RequestView request = load(id);
		if (shown != null && shown != request.status()) {
			response.setHeader("HX-Refresh", "true");
		}
		model.addAttribute("request", request);
		model.addAttribute("live", !FINAL.contains(request.status()));
		model.addAttribute("steps", this.requests.steps(id));
		model.addAttribute("running", RUNNING.contains(request.status()));
		return "requests/progress :: progress";
	}

	@PostMapping("/requests/{id}/approve")
	String approve(@PathVariable long id, @RequestParam(required = false) @Nullable String comment, Authentication user,
			RedirectAttributes redirect) {
		this.requests.approve(id, SignedIn.actor(user), comment);
		return done(id, redirect, "Approved.");
	}

	@PostMapping("/requests/{id}/reject")
	String reject(@PathVariable long id, @RequestParam(required = false) @Nullable String reason, Authentication user,
			RedirectAttributes redirect) {
		return withReason(id, reason, "rejectError", REASON_REQUIRED, redirect, (why) -> {
			this.requests.reject(id, SignedIn.actor(user), why);
			return done(id, redirect, "Rejected.");
		});
	}

	@PostMapping("/requests/{id}/cancel")
	String cancel(@PathVariable long id, Authentication user, RedirectAttributes redirect) {
		this.requests.cancel(id, SignedIn.actor(user));
		return done(id, redirect, "Cancelled.");
	}

	/** An admin's way out of a request nobody else can move on. */
	@PostMapping("/requests/{id}/close")
	String close(@PathVariable long id, @RequestParam(required = false) @Nullable String reason, Authentication user,
			RedirectAttributes redirect) {
		return withReason(id, reason, "closeError", CLOSE_REASON_REQUIRED, redirect, (why) -> {
			this.requests.close(id, SignedIn.actor(user), why);
			return done(id, redirect, "Closed.");
		});
	}

	/**
	 * A command that needs a reason: without one, an unknown request is not found
	 * whatever the reason, and a known one is refused before anything changes, the form
	 * saying why at the field ({@code errorAttribute}).
	 */
	private String withReason(long id, @Nullable String reason, String errorAttribute, String required,
			RedirectAttributes redirect, Function<String, String> command) {
		if (reason == null || reason.isBlank()) {
			load(id);
			redirect.addFlashAttribute(errorAttribute, required);
			return "redirect:/requests/" + id;
		}
		return command.apply(reason.strip());
	}

	@PostMapping("/requests/{id}/retry")
	String retry(@PathVariable long id, Authentication user, RedirectAttributes redirect) {
		this.requests.retry(id, SignedIn.actor(user));
		return done(id, redirect, "Running the approved plan again.");
	}

	@GetMapping("/approvals")
	String approvals(Model model, Authentication user) {
		List<RequestView> waiting = new ArrayList<>(this.requests.withStatus(RequestStatus.PENDING_APPROVAL));
		waiting.addAll(this.requests.withStatus(RequestStatus.NEEDS_REAPPROVAL));
		model.addAttribute("requests", waiting);
		model.addAttribute("me", user.getName());
		return "approvals/approvalQueue";
	}

	/** Refusals and conflicts are answered by {@link WebErrors}. */
	private static String done(long id, RedirectAttributes redirect, String message) {
		redirect.addFlashAttribute("message", message);
		return "redirect:/requests/" + id;
	}

	private String showForm(Model model) {
		if (model.getAttribute("form") instanceof RequestForm form) {
			model.addAttribute("fingerprints", this.engine.describeSshKeys(form.keyLines()));
		}
		this.choices.addTo(model);
		return "requests/requestForm";
	}

	/**
	 * The same field error for a preview as for a submission, with a link to what to look
	 * at instead.
	 */
	private static void taken(UserTakenException ex, BindingResult result, Model model) {
		result.rejectValue("userName", "taken", Objects.requireNonNullElse(ex.getMessage(), "This name is taken"));
		model.addAttribute("taken", ex);
	}

	/** The engine's rules, before any AWS call; the errors land next to their fields. */
	private boolean valid(RequestForm form, BindingResult result) {
		List<FieldViolation> violations = new ArrayList<>(form.roleViolations());
		violations.addAll(this.engine.validate(form.toSpec()));
		FormFields.reject(violations, result);
		return violations.isEmpty();
	}

	private RequestView load(long id) {
		return this.requests.find(id)
			.orElseThrow(() -> new RequestNotFoundException("Request " + id + " does not exist"));
	}

}
