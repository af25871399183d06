package io.transferportal.web;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.ManagedUserView;
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
		return "users/userDetails";
	}

	/** Reads the user's resources in AWS now and stores the result. */
	@PostMapping("/users/{serverId}/{userName}/verify")
	String verify(@PathVariable String serverId, @PathVariable String userName, Authentication authentication,
			RedirectAttributes redirect) {
		ManagedUserView user = this.requests.verify(serverId, userName, SignedIn.actor(authentication));
		redirect.addFlashAttribute("message", "Verified " + userName + ": " + user.health());
		return "redirect:/users/{serverId}/{userName}";
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
