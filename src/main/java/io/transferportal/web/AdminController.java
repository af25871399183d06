package io.transferportal.web;

import java.io.Serializable;
import java.security.Principal;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.PortalRole;
import io.transferportal.requests.DataConflicts;
import io.transferportal.ticketing.ApiClientManagement;
import io.transferportal.ticketing.ApiScopes;

/**
 * Administration: portal accounts and API clients. Every change is a POST (with the CSRF
 * token) that redirects with a flash message, except creating an API client: its token is
 * shown once, on the response to that POST.
 */
@Controller
class AdminController {

	private static final List<String> SCOPES = List.of(ApiScopes.READ, ApiScopes.WRITE);

	private final AccountManagement accounts;

	private final ApiClientManagement apiClients;

	AdminController(AccountManagement accounts, ApiClientManagement apiClients) {
		this.accounts = accounts;
		this.apiClients = apiClients;
	}

	// ---- accounts
	// ----------------------------------------------------------------------------------------------

	@GetMapping("/admin/accounts")
	String accountList(Model model) {
		return accountList(AdminAccountForm.empty(), model);
	}

	@PostMapping("/admin/accounts")
	String createAccount(@Valid @ModelAttribute("accountForm") @Nullable AdminAccountForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		// the form is null when a value could not be converted (a role that does not
		// exist)
		if (form != null && !result.hasErrors()) {
			try {
				this.accounts.create(Objects.requireNonNull(form.username()), Objects.requireNonNull(form.password()),
						Objects.requireNonNull(form.roles()));
				redirect.addFlashAttribute("message", "Account '" + form.username() + "' created.");
				return "redirect:/admin/accounts";
			}
			catch (IllegalArgumentException ex) {
				result.reject("invalid", Objects.requireNonNullElse(ex.getMessage(), "The account was not created"));
			}
		}
		// the form and its errors stay in the model; the page never sends the password
		// back
		return accountList(Objects.requireNonNullElse(form, AdminAccountForm.empty()), model);
	}

	@PostMapping("/admin/accounts/{username}/roles")
	String changeRoles(@PathVariable String username, @RequestParam(required = false) @Nullable Set<PortalRole> roles,
			Principal principal, RedirectAttributes redirect) {
		Set<PortalRole> newRoles = (roles != null) ? roles : Set.of();
		if (isSelf(username, principal) && !newRoles.contains(PortalRole.ADMIN)) {
			redirect.addFlashAttribute("error", "You cannot take the ADMIN role from your own account.");
			return "redirect:/admin/accounts";
		}
		return change(redirect, "Roles of '" + username + "' changed.",
				() -> this.accounts.setRoles(username, newRoles));
	}

	@PostMapping("/admin/accounts/{username}/enabled")
	String setEnabled(@PathVariable String username, @RequestParam boolean enabled, Principal principal,
			RedirectAttributes redirect) {
		if (isSelf(username, principal) && !enabled) {
			redirect.addFlashAttribute("error", "You cannot disable your own account.");
			return "redirect:/admin/accounts";
		}
		return change(redirect, "Account '" + username + "' " + (enabled ? "enabled." : "disabled."),
				() -> this.accounts.setEnabled(username, enabled));
	}

	@PostMapping("/admin/accounts/{username}/password")
	String resetPassword(@PathVariable String username, @RequestParam(defaultValue = "") String password,
			RedirectAttributes redirect) {
		return change(redirect, "Password of '" + username + "' reset; it may sign in again at once.",
				() -> this.accounts.resetPassword(username, password));
	}

	private String accountList(AdminAccountForm form, Model model) {
		if (!model.containsAttribute("accountForm")) {
			model.addAttribute("accountForm", form);
		}
		model.addAttribute("accounts", this.accounts.list());
		model.addAttribute("allRoles", PortalRole.values());
		return "admin/accountList";
	}

	private static String change(RedirectAttributes redirect, String message, Runnable change) {
		try {
			change.run();
			redirect.addFlashAttribute("message", message);
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/accounts";
	}

	private static boolean isSelf(String username, Principal principal) {
		return username.equalsIgnoreCase(principal.getName());
	}

	static final String CREATED = "createdClient";

	// ---- API clients
	// -------------------------------------------------------------------------------------------

	@GetMapping("/admin/api-clients")
	String apiClientList(Model model) {
		return apiClientList(AdminApiClientForm.empty(), model);
	}

	/**
	 * Creates a client, then redirects to the page that shows its token once (so that a
	 * reload does not post again). The token waits for that page in the server-side flash
	 * map of the session only, for the one request after the redirect; it is never in a
	 * URL, and its page is never cached.
	 */
	@PostMapping("/admin/api-clients")
	String createApiClient(@Valid @ModelAttribute("apiClientForm") @Nullable AdminApiClientForm form,
			BindingResult result, Model model, RedirectAttributes redirect) {
		if (form != null && !result.hasErrors()) {
			try {
				Set<String> scopes = Objects.requireNonNull(form.scopes());
				String token = this.apiClients.create(Objects.requireNonNull(form.name()), scopes,
						form.callbackSecretOrNull());
				redirect.addFlashAttribute(CREATED, new CreatedClient(Objects.requireNonNull(form.name()),
						scopes.stream().sorted().toList(), token));
				return "redirect:/admin/api-clients/created";
			}
			catch (IllegalArgumentException ex) {
				result.reject("invalid", Objects.requireNonNullElse(ex.getMessage(), "The client was not created"));
			}
			catch (DataIntegrityViolationException ex) {
				if (!DataConflicts.isConflict(ex)) {
					throw ex;
				}
				result.rejectValue("name", "taken", "An API client named '" + form.name() + "' already exists");
			}
		}
		// the form and its errors stay in the model; the page never sends the secret back
		return apiClientList(Objects.requireNonNullElse(form, AdminApiClientForm.empty()), model);
	}

	/**
	 * The token of the client just created, shown this once; opened again (a reload, the
	 * history), the list of clients says it was shown.
	 */
	@GetMapping("/admin/api-clients/created")
	String apiClientCreated(Model model, HttpServletResponse response, RedirectAttributes redirect) {
		if (!(model.getAttribute(CREATED) instanceof CreatedClient created)) {
			redirect.addFlashAttribute("warning", "The token of a new API client is shown only once, right after it "
					+ "is created. If it was not copied, revoke the client and create a new one.");
			return "redirect:/admin/api-clients";
		}
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		model.addAttribute("name", created.name());
		model.addAttribute("scopes", created.scopes());
		model.addAttribute("token", created.token());
		return "admin/apiClientCreated";
	}

	@PostMapping("/admin/api-clients/{name}/revoke")
	String revokeApiClient(@PathVariable String name, RedirectAttributes redirect) {
		this.apiClients.revoke(name);
		redirect.addFlashAttribute("message", "API client '" + name + "' revoked; its token no longer works.");
		return "redirect:/admin/api-clients";
	}

	private String apiClientList(AdminApiClientForm form, Model model) {
		if (!model.containsAttribute("apiClientForm")) {
			model.addAttribute("apiClientForm", form);
		}
		model.addAttribute("clients", this.apiClients.list());
		model.addAttribute("allScopes", SCOPES);
		return "admin/apiClientList";
	}

	/** A client just created and its only copy of the token, on its way to its page. */
	record CreatedClient(String name, List<String> scopes, String token) implements Serializable {

		@Override
		public String toString() {
			return "CreatedClient[" + this.name + "]"; // never the token in a log line
		}

	}

}
