package io.transferportal.accounts;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;

/**
 * A session that expired sends the person to sign in again, told that the session expired
 * ({@code /login?expired}), and from there back to the page they were on.
 * <ul>
 * <li>A page opened with an expired session: the entry point, after the request cache
 * kept the page.</li>
 * <li>A form posted with an expired session: its CSRF token went with the session, so the
 * post is refused before anything runs. Instead of a 403 the person signs in again and
 * comes back to the form's page (the {@code Referer}, same origin only); what they typed
 * is restored there by the page's script ({@code /js/drafts.js}), which kept it when the
 * form was sent.</li>
 * </ul>
 * A session is expired when the browser sent a session id the server no longer knows.
 */
final class SessionExpiry {

	static final String EXPIRED_LOGIN = "/login?expired";

	private SessionExpiry() {
	}

	static boolean expired(HttpServletRequest request) {
		return request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid();
	}

	/** The sign-in page, which says so when the session expired. */
	static LoginUrlAuthenticationEntryPoint entryPoint() {
		return new LoginUrlAuthenticationEntryPoint("/login") {
			@Override
			protected String determineUrlToUseForThisRequest(HttpServletRequest request, HttpServletResponse response,
					AuthenticationException exception) {
				return expired(request) ? EXPIRED_LOGIN : "/login";
			}
		};
	}

	/**
	 * A refused CSRF token on a session that expired is a sign-in; any other refusal is
	 * the 403 page.
	 */
	static AccessDeniedHandler accessDeniedHandler() {
		AccessDeniedHandler forbidden = new AccessDeniedHandlerImpl();
		return (request, response, denied) -> {
			if (denied instanceof CsrfException && expired(request)) {
				String back = sameOriginPage(request);
				if (back != null) {
					// what the request cache would hold for a page opened: a plain GET of
					// it
					request.getSession(true).setAttribute(SAVED_REQUEST, new SimpleSavedRequest(back));
				}
				response.sendRedirect(request.getContextPath() + EXPIRED_LOGIN);
				return;
			}
			handle(forbidden, request, response, denied);
		};
	}

	/**
	 * The attribute {@link HttpSessionRequestCache} keeps its request in by default, and
	 * so where the success handler after sign-in looks for the page to go back to.
	 */
	static final String SAVED_REQUEST = "SPRING_SECURITY_SAVED_REQUEST";

	private static void handle(AccessDeniedHandler handler, HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException denied) throws IOException {
		try {
			handler.handle(request, response, denied);
		}
		catch (ServletException ex) {
			throw new IOException(ex);
		}
	}

	/**
	 * The page the form was on, from the {@code Referer} the browser sends to this origin
	 * (the portal's Referrer-Policy is same-origin): its path and query, never another
	 * host, and never the sign-in page.
	 */
	static @Nullable String sameOriginPage(HttpServletRequest request) {
		String referer = request.getHeader(HttpHeaders.REFERER);
		if (referer == null) {
			return null;
		}
		try {
			URI uri = URI.create(referer);
			if (!request.getServerName().equalsIgnoreCase(uri.getHost()) || uri.getPort() != request.getServerPort()
					&& !(uri.getPort() == -1 && (request.getServerPort() == 80 || request.getServerPort() == 443))) {
				return null;
			}
			String path = (uri.getRawPath() != null && uri.getRawPath().startsWith("/")) ? uri.getRawPath() : null;
			if (path == null || path.startsWith("//") || path.startsWith("/login")) {
				return null;
			}
			return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
