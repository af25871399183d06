package io.transferportal.web;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.ManagedUserRegister;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotAllowedException;
import io.transferportal.requests.RequestView;

/**
 * One managed Transfer user: its checks and spec, and the actions on it. Anyone signed in
 * may verify; only administrators may request a repair or a deprovision.
 */
@Controller
class UserController {

	private static final String ADMIN = "ROLE_ADMIN";

	private static final String BACK = "redirect:/users/{serverId}/{userName}";

	private final AccessRequestManagement requests;

	private final ManagedUserRegister register;

	UserController(AccessRequestManagement requests, ManagedUserRegister register) {
		this.requests = requests;
		this.register = register;
	}

	@GetMapping("/users/{serverId}/{userName}")
	String userDetails(@PathVariable String serverId, @PathVariable String userName, Model model) {
		ManagedUserView user = this.requests.managedUser(serverId, userName)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		model.addAttribute("user", user);
		return "users/userDetails";
	}

	/** Reads the user's resources in AWS now and stores the result. */
	@PostMapping("/users/{serverId}/{userName}/verify")
	String verify(@PathVariable String serverId, @PathVariable String userName, RedirectAttributes redirect) {
		try {
			ManagedUserView user = this.register.verify(serverId, userName);
			redirect.addFlashAttribute("message", "Verified " + userName + ": " + user.health());
		}
		catch (RequestConflictException | ProvisioningException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return BACK;
	}

	@PostMapping("/users/{serverId}/{userName}/repair")
	String repair(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam(required = false) @Nullable String ticketRef, Authentication authentication,
			RedirectAttributes redirect) {
		return submit(authentication, redirect, "Repair requested; it needs approval",
				() -> this.requests.submitRepair(serverId, userName, blankToNull(ticketRef), authentication.getName()));
	}

	@PostMapping("/users/{serverId}/{userName}/deprovision")
	String deprovision(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam(required = false) @Nullable String ticketRef, Authentication authentication,
			RedirectAttributes redirect) {
		return submit(authentication, redirect, "Deprovision requested; it needs approval", () -> this.requests
			.submitDeprovision(serverId, userName, blankToNull(ticketRef), authentication.getName()));
	}

	/**
	 * Repair and deprovision: administrators only, as a new request that goes through
	 * approval.
	 */
	private String submit(Authentication authentication, RedirectAttributes redirect, String done,
			java.util.function.Supplier<RequestView> submission) {
		requireAdmin(authentication);
		try {
			RequestView request = submission.get();
			redirect.addFlashAttribute("message", done);
			return "redirect:/requests/" + request.id();
		}
		catch (RequestConflictException | RequestNotAllowedException | PlanNotApplicableException
				| ProvisioningException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return BACK;
		}
	}

	// the buttons are hidden from non-admins too, but a hand-made POST must not get
	// through
	private static void requireAdmin(Authentication authentication) {
		if (authentication.getAuthorities().stream().noneMatch((authority) -> ADMIN.equals(authority.getAuthority()))) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN);
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
