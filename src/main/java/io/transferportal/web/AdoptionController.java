package io.transferportal.web;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.RequestView;

/**
 * Adopting a Transfer user that exists outside the portal: a new ADOPT request, approved
 * like any other. Who may submit is decided by the requests module; a refusal is answered
 * by {@link WebErrors}.
 */
@Controller
class AdoptionController {

	/**
	 * What the adoption takes from the existing user, for errors about fields the form
	 * does not have.
	 */
	private static final Map<String, String> USER_FIELDS = Map.of("roleArn", "The user's IAM role:", "sshPublicKeys",
			"The user's SSH keys:");

	private final AccessRequestManagement requests;

	private final ProvisioningEngine engine;

	private final FormChoices choices;

	AdoptionController(AccessRequestManagement requests, ProvisioningEngine engine, FormChoices choices) {
		this.requests = requests;
		this.engine = engine;
		this.choices = choices;
	}

	@GetMapping("/users/adopt")
	String form(Model model) {
		model.addAttribute("form", AdoptForm.empty());
		return showForm(model);
	}

	@PostMapping("/users/adopt")
	String adopt(@Valid @ModelAttribute("form") AdoptForm form, BindingResult result, Model model, Authentication user,
			RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return showForm(model);
		}
		try {
			RequestView request = this.requests.submitAdopt(form.toAdoption(), form.ticketRef(), SignedIn.actor(user));
			redirect.addFlashAttribute("message",
					"Adoption " + request.id() + " submitted; an approver will review its plan.");
			return "redirect:/requests/" + request.id();
		}
		catch (InvalidUserSpecException ex) {
			reject(ex.violations(), result);
		}
		catch (PlanNotApplicableException ex) {
			model.addAttribute("plan", PlanView.of(ex.plan()));
			model.addAttribute("error", "The plan cannot be applied safely; nothing was submitted.");
		}
		catch (RequestNotFoundException | RequestConflictException | ProvisioningException ex) {
			model.addAttribute("error", ex.getMessage());
		}
		return showForm(model);
	}

	/**
	 * Each violation next to its field; those about the role or keys the user already has
	 * above the form.
	 */
	private static void reject(List<FieldViolation> violations, BindingResult result) {
		List<FieldViolation> own = violations.stream()
			.filter((violation) -> USER_FIELDS.keySet().stream().noneMatch(violation.field()::startsWith))
			.toList();
		FormFields.reject(own, result);
		violations.stream()
			.filter((violation) -> !own.contains(violation))
			.forEach((violation) -> result.reject("invalid",
					USER_FIELDS.get(violation.field().startsWith("roleArn") ? "roleArn" : "sshPublicKeys") + " "
							+ violation.message()));
	}

	private String showForm(Model model) {
		this.choices.addTo(model);
		return "users/adoptForm";
	}

}
