package io.transferportal.web;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import io.transferportal.accounts.PageAccess;
import io.transferportal.accounts.PortalRole;
import io.transferportal.requests.AccessRequestManagement;

/**
 * What the menu shows beside its links: for an approver, how many requests wait for a
 * decision. Counted only when the page's frame renders the menu (one indexed count), not
 * for htmx fragments, redirects or exports; nobody but approvers pays for it.
 */
@ControllerAdvice
class Navigation {

	private final AccessRequestManagement requests;

	Navigation(AccessRequestManagement requests) {
		this.requests = requests;
	}

	@ModelAttribute("awaitingDecision")
	@Nullable AwaitingDecision awaitingDecision(@Nullable Authentication authentication) {
		return PageAccess.rolesOf(authentication).contains(PortalRole.APPROVER) ? new AwaitingDecision(this.requests)
				: null;
	}

}
