package io.transferportal.web;

import java.util.List;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
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

import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Health;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.RequestView;

/**
 * One managed Transfer user: its checks and spec, and the actions on it. Who may verify,
 * repair or deprovision is decided by the requests module; refusals and conflicts are
 * answered by {@link WebErrors}.
 */
@Controller
class UserController {

	private final AccessRequestManagement requests;

	UserController(AccessRequestManagement requests) {
		this.requests = requests;
	}

	@GetMapping("/users/{serverId}/{userName}")
	String userDetails(@PathVariable String serverId, @PathVariable String userName, Model model) {
		ManagedUserView user = this.requests.managedUser(serverId, userName)
			.orElseThrow(() -> new RequestNotFoundException(
					"User " + userName + " on " + serverId + " is not managed by the portal"));
		model.addAttribute("user", user);
		model.addAttribute("connection", this.requests.connection(serverId, userName).orElse(null));
		model.addAttribute("keys", this.requests.sshKeys(serverId, userName));
		RequestView last = (user.lastRequestId() != null) ? this.requests.find(user.lastRequestId()).orElse(null)
				: null;
		model.addAttribute("lastRequest", last);
		model.addAttribute("approvals", (last != null)
				? last.decisions().stream().filter(RequestView.DecisionView::approved).toList() : List.of());
		model.addAttribute("roleArn", roleArn(user, last));
		model.addAttribute("requestIds", this.requests.requestIds(serverId, userName));
		return "users/userDetails";
	}

	/**
	 * The role's ARN: the one asked for, or the dedicated role's from the last plan (the
	 * plan names the role it creates or keeps).
	 */
	private static String roleArn(ManagedUserView user, @Nullable RequestView last) {
		if (user.spec().roleArn() != null) {
			return user.spec().roleArn();
		}
		return (last != null) ? last.plan().change(ResourceKind.ROLE).map(PlannedChange::resourceArn).orElse("–") : "–";
	}

	/**
	 * What a deprovision removes and keeps, before the request is asked for; the same
	 * ticket reference as typed on the user's page.
	 */
	@GetMapping("/users/{serverId}/{userName}/deprovision")
	String confirmDeprovision(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam(required = false) @Nullable String ticketRef, Model model) {
		model.addAttribute("user", activeUser(serverId, userName));
		model.addAttribute("ticketRef", ticketRef);
		return "users/deprovisionConfirm";
	}

	/** Reads the user's resources in AWS now and stores the result. */
	@PostMapping("/users/{serverId}/{userName}/verify")
	String verify(@PathVariable String serverId, @PathVariable String userName, Authentication authentication,
			RedirectAttributes redirect) {
		ManagedUserView user = this.requests.verify(serverId, userName, SignedIn.actor(authentication));
		// announced in the colour of its result: only OK is a success
		redirect.addFlashAttribute(Tones.flash(user.health()), "Verified " + userName + ": " + user.health()
				+ ((user.health() == Health.OK) ? "" : "; the checks below say what differs"));
		return "redirect:/users/{serverId}/{userName}";
	}

	/** The change form, filled with the approved settings. */
	@GetMapping("/users/{serverId}/{userName}/change")
	String changeForm(@PathVariable String serverId, @PathVariable String userName, Model model) {
		ManagedUserView user = activeUser(serverId, userName);
		model.addAttribute("user", user);
		model.addAttribute("form", ChangeForm.of(user.spec()));
		return "users/changeForm";
	}

	/** A new MODIFY request with the changed settings; it goes through approval. */
	@PostMapping("/users/{serverId}/{userName}/change")
	String change(@PathVariable String serverId, @PathVariable String userName,
			@Valid @ModelAttribute("form") ChangeForm form, BindingResult result, Model model,
			Authentication authentication, RedirectAttributes redirect) {
		ManagedUserView user = activeUser(serverId, userName);
		model.addAttribute("user", user);
		if (FormFields.refusePrivateKey(form.sshPublicKeys(), form.withoutKeys(), result, model)
				|| result.hasErrors()) {
			return "users/changeForm";
		}
		try {
			RequestView request = this.requests.submitModify(serverId, userName, form.toChange(), form.ticketRef(),
					SignedIn.actor(authentication));
			return submitted(request, redirect, "Change requested; an approver will review its plan");
		}
		catch (InvalidUserSpecException ex) {
			FormFields.reject(ex.violations(), result);
		}
		catch (PlanNotApplicableException ex) {
			model.addAttribute("error", "The plan cannot be applied safely; nothing was submitted.");
		}
		catch (RequestConflictException | ProvisioningException ex) {
			model.addAttribute("error", ex.getMessage());
		}
		return "users/changeForm";
	}

	private ManagedUserView activeUser(String serverId, String userName) {
		return this.requests.managedUser(serverId, userName)
			.filter(ManagedUserView::active)
			.orElseThrow(() -> new RequestNotFoundException(
					"User " + userName + " on " + serverId + " is not managed by the portal"));
	}

	/** A new REPAIR request; it goes through approval. */
	@PostMapping("/users/{serverId}/{userName}/repair")
	String repair(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam(required = false) @Nullable String ticketRef, Authentication authentication,
			RedirectAttributes redirect) {
		RequestView request = this.requests.submitRepair(serverId, userName, ticketRef, SignedIn.actor(authentication));
		return submitted(request, redirect, "Repair requested; it needs approval");
	}

	/** A new DEPROVISION request; it goes through approval. */
	@PostMapping("/users/{serverId}/{userName}/deprovision")
	String deprovision(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam(required = false) @Nullable String ticketRef, Authentication authentication,
			RedirectAttributes redirect) {
		RequestView request = this.requests.submitDeprovision(serverId, userName, ticketRef,
				SignedIn.actor(authentication));
		return submitted(request, redirect, "Deprovision requested; it needs approval");
	}

	private static String submitted(RequestView request, RedirectAttributes redirect, String message) {
		redirect.addFlashAttribute("message", message);
		return "redirect:/requests/" + request.id();
	}

}
