package io.transferportal.web;

import java.time.Clock;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.RequestContextUtils;

import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotAllowedException;
import io.transferportal.requests.RequestNotFoundException;

/**
 * The UI's answers to the modules' exceptions, for every page: not allowed is the 403
 * page, not found the 404 page, and an action the current state refuses (already decided,
 * another open request, an AWS error while planning) goes back to the page the action
 * belongs to with the reason as a message. Messages of these exceptions are written for
 * people; nothing else is shown.
 */
@ControllerAdvice(basePackageClasses = WebErrors.class)
class WebErrors {

	private final Clock clock;

	private final Times times;

	/**
	 * The error page is rendered outside the controllers, so without the model the
	 * controller advice gives every page: it gets the way times are written here.
	 */
	WebErrors(Clock clock, Times times) {
		this.clock = clock;
		this.times = times;
	}

	@ExceptionHandler(RequestNotAllowedException.class)
	ModelAndView notAllowed(RequestNotAllowedException ex) {
		return errorPage(HttpStatus.FORBIDDEN, ex.getMessage());
	}

	@ExceptionHandler(RequestNotFoundException.class)
	ModelAndView notFound(RequestNotFoundException ex) {
		return errorPage(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler({ RequestConflictException.class, PlanNotApplicableException.class, ProvisioningException.class })
	String refused(RuntimeException ex, HttpServletRequest request) {
		return back(request, (ex instanceof PlanNotApplicableException)
				? "The plan cannot be applied safely; nothing was submitted." : ex.getMessage());
	}

	/**
	 * Input the forms do not hold back (a comment past the database's size, a ticket with
	 * control characters): nothing changed, and the page says which field.
	 */
	@ExceptionHandler(InvalidUserSpecException.class)
	String invalid(InvalidUserSpecException ex, HttpServletRequest request) {
		return back(request,
				"Nothing was changed: " + ex.violations()
					.stream()
					.map((violation) -> label(violation.field()) + " " + violation.message())
					.collect(Collectors.joining("; ")) + ".");
	}

	private static String label(String field) {
		return switch (field) {
			case "comment" -> "The comment";
			case "reason" -> "The reason";
			case "ticketRef" -> "The ticket reference";
			default -> "The field " + field;
		};
	}

	@ExceptionHandler(ConcurrencyFailureException.class)
	String concurrent(HttpServletRequest request) {
		return back(request, "Someone else changed this at the same moment; here is its current state.");
	}

	/** From {@code /requests/7/approve} back to {@code /requests/7}, with a message. */
	private static String back(HttpServletRequest request, String message) {
		RequestContextUtils.getOutputFlashMap(request).put("error", message);
		String path = request.getRequestURI();
		return "redirect:" + path.substring(0, Math.max(1, path.lastIndexOf('/')));
	}

	private ModelAndView errorPage(HttpStatus status, String detail) {
		ModelAndView page = new ModelAndView("error", status);
		page.addObject("status", status.value());
		page.addObject("reason", status.getReasonPhrase());
		page.addObject("time", this.clock.instant());
		page.addObject("times", this.times);
		page.addObject("detail", detail);
		return page;
	}

}
