package io.transferportal.accounts;

import java.io.IOException;
import java.util.Objects;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a password sign-in whose user name or client address has no attempt left
 * ({@link LoginThrottle}) before the password is checked, with the very answer a wrong
 * password gets (the same failure handler), so the answer tells nothing about the name.
 * Placed after the CSRF filter: a sign-in without the token spends nothing.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

	private static final RequestMatcher SIGN_IN = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, "/login");

	private final LoginThrottle throttle;

	private final AuthenticationFailureHandler failureHandler;

	LoginThrottleFilter(LoginThrottle throttle, AuthenticationFailureHandler failureHandler) {
		this.throttle = throttle;
		this.failureHandler = failureHandler;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !SIGN_IN.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// a sign-in without a name still spends an attempt of its address
		String username = Objects.requireNonNullElse(request.getParameter("username"), "");
		if (!this.throttle.tryAcquire(username, request.getRemoteAddr())) {
			this.failureHandler.onAuthenticationFailure(request, response,
					new BadCredentialsException("Too many sign-in attempts"));
			return;
		}
		chain.doFilter(request, response);
	}

}
