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
 * decision (one indexed count per page; nobody else pays for it).
 */
@ControllerAdvice
class Navigation {

	private final AccessRequestManagement requests;

	Navigation(AccessRequestManagement requests) {
		this.requests = requests;
	}

	@ModelAttribute("awaitingDecision")
	@Nullable Long awaitingDecision(@Nullable Authentication authentication) {
		return PageAccess.rolesOf(authentication).contains(PortalRole.APPROVER) ? this.requests.awaitingDecision()
				: null;
	}

}
