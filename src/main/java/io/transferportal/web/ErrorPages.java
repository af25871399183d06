package io.transferportal.web;

import java.time.Clock;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

import io.transferportal.accounts.PageAccess;

/**
 * The error page for errors the portal's own handlers do not answer (a page that does not
 * exist, a page the security rules refuse, a malformed request, a method the page does
 * not take): the portal's frame with its navigation, the status, the time (to quote to
 * the platform team) and, for a refused page, which role it needs ({@link PageAccess})
 * and which roles the person has. Never a stack trace or a class name: Boot's error
 * attributes keep neither by default.
 */
@Component
class ErrorPages implements ErrorViewResolver {

	private final Clock clock;

	private final Times times;

	/**
	 * The error page is rendered outside the controllers, so without the model the
	 * controller advice gives every page: it gets the way times are written here.
	 */
	ErrorPages(Clock clock, Times times) {
		this.clock = clock;
		this.times = times;
	}

	@Override
	public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
		ModelAndView page = new ModelAndView("error", status);
		page.addObject("status", status.value());
		page.addObject("reason", status.getReasonPhrase());
		page.addObject("time", this.clock.instant());
		page.addObject("times", this.times);
		if (status == HttpStatus.FORBIDDEN) {
			Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
			String path = ((uri != null) ? uri.toString() : request.getRequestURI())
				.substring(request.getContextPath().length());
			page.addObject("requiredRoles",
					String.join(" or ", PageAccess.names(PageAccess.requiredRoles(request.getMethod(), path))));
			page.addObject("yourRoles", String.join(", ",
					PageAccess.names(PageAccess.rolesOf(SecurityContextHolder.getContext().getAuthentication()))));
		}
		return page;
	}

}
