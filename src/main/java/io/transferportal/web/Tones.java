package io.transferportal.web;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.requests.Health;
import io.transferportal.requests.RequestStatus;

/**
 * One colour scheme for every status the pages show: request statuses, plan actions,
 * health and checks, as the CSS class of a badge ({@code portal.css}). Each tone means
 * the same everywhere, and the badge always carries its text too, so colour is never the
 * only sign (WCAG 1.4.1). Every page's model holds it as {@code tones} (a controller
 * advice, so that MVC slice tests render pages with it too).
 * <ul>
 * <li>{@code badge-ok} (green): as it should be.</li>
 * <li>{@code badge-drift} (amber): needs a person's attention, nothing broken yet.</li>
 * <li>{@code badge-missing} (red): failed, missing or to be deleted.</li>
 * <li>{@code badge-error} (dark red): could not be checked.</li>
 * <li>{@code badge-info} (blue): under way, or waiting for a decision.</li>
 * <li>{@code badge-unverified} (grey): finished without effect, or nothing to do.</li>
 * </ul>
 */
@ControllerAdvice
public class Tones {

	@ModelAttribute("tones")
	Tones tones() {
		return this;
	}

	public String status(RequestStatus status) {
		return switch (status) {
			case ACTIVE -> "badge-ok";
			case NEEDS_REAPPROVAL -> "badge-drift";
			case FAILED -> "badge-missing";
			case PENDING_APPROVAL, APPROVED, PROVISIONING -> "badge-info";
			case REJECTED, CANCELLED, DELETED -> "badge-unverified";
		};
	}

	public String action(ChangeAction action) {
		return switch (action) {
			case CREATE -> "badge-ok";
			case UPDATE -> "badge-drift";
			case DELETE -> "badge-missing";
			case NONE -> "badge-unverified";
		};
	}

	public String health(Health health) {
		return switch (health) {
			case OK -> "badge-ok";
			case DRIFT -> "badge-drift";
			case MISSING -> "badge-missing";
			case ERROR -> "badge-error";
			case UNVERIFIED -> "badge-unverified";
		};
	}

	public String check(CheckStatus status) {
		return health(Health.valueOf(status.name()));
	}

	/**
	 * The flash attribute a result of this health is announced in, which the page frame
	 * shows as its alert: {@code message} (success) only when OK, {@code warning} for
	 * drift or nothing verified, {@code error} for missing or unreadable.
	 */
	static String flash(Health health) {
		return switch (health) {
			case OK -> "message";
			case DRIFT, UNVERIFIED -> "warning";
			case MISSING, ERROR -> "error";
		};
	}

}
