package io.transferportal.accounts;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes an administrator's change to an account take effect on the signed-in person's
 * very next request: the account is read again on every request of a session, a disabled
 * or deleted account is signed out (the request continues as anonymous, so a page asks
 * for sign-in), and changed roles replace the ones the session signed in with. A lockout
 * (too many wrong passwords) does not end a session: whoever guesses must not be able to
 * sign the owner out.
 * <p>
 * Single sign-on users have no account here: their roles are what their groups gave at
 * sign-in, and their session ends when the provider's ID token expires, so that a changed
 * group takes effect at the next sign-in at the latest.
 */
class CurrentAccountFilter extends OncePerRequestFilter {

	private final AccountManagement accounts;

	private final Clock clock;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	CurrentAccountFilter(AccountManagement accounts, Clock clock) {
		this.accounts = accounts;
		this.clock = clock;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = this.holder.getContext().getAuthentication();
		if (authentication instanceof UsernamePasswordAuthenticationToken signedIn && signedIn.isAuthenticated()) {
			refresh(signedIn, request, response);
		}
		else if (authentication != null && authentication.getPrincipal() instanceof OidcUser user
				&& user.getIdToken().getExpiresAt() != null
				&& !this.clock.instant().isBefore(user.getIdToken().getExpiresAt())) {
			signOut(request);
		}
		chain.doFilter(request, response);
	}

	private void refresh(UsernamePasswordAuthenticationToken signedIn, HttpServletRequest request,
			HttpServletResponse response) {
		Optional<AccountSummary> account = this.accounts.current(signedIn.getName());
		if (account.isEmpty() || !account.get().enabled()) {
			signOut(request);
			return;
		}
		Set<PortalRole> roles = account.get().roles();
		if (PortalRole.of(signedIn).equals(roles)) {
			return;
		}
		// keep what is not a portal role (such as the FACTOR_PASSWORD authority)
		List<GrantedAuthority> authorities = new ArrayList<>();
		signedIn.getAuthorities()
			.stream()
			.filter((authority) -> !String.valueOf(authority.getAuthority()).startsWith("ROLE_"))
			.forEach(authorities::add);
		roles.forEach((role) -> authorities.add(new SimpleGrantedAuthority(role.authority())));
		UsernamePasswordAuthenticationToken refreshed = UsernamePasswordAuthenticationToken
			.authenticated(signedIn.getPrincipal(), null, authorities);
		refreshed.setDetails(signedIn.getDetails());
		SecurityContext context = this.holder.createEmptyContext();
		context.setAuthentication(refreshed);
		this.holder.setContext(context);
		this.contexts.saveContext(context, request, response);
	}

	private void signOut(HttpServletRequest request) {
		this.holder.clearContext();
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
	}

}
