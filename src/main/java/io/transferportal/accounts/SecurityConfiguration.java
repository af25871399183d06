package io.transferportal.accounts;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may open what: the web UI signs in with a form and a session, everything except the
 * login page, static resources and the health probes needs a signed-in user, and
 * {@code /admin/**} needs {@link PortalRole#ADMIN}. Single sign-on with an OpenID Connect
 * provider is added when one is configured ({@link SsoProperties}). Finer rules sit on
 * the modules' methods ({@link EnableMethodSecurity}).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	/**
	 * Everything from this origin only; no inline scripts or styles, no framing, forms
	 * post only back here.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

	/** The REST API's Swagger UI, served by springdoc. */
	static final RequestMatcher SWAGGER_UI = PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**");

	/**
	 * The pages' policy, and the one inline style Swagger UI's bundle injects, allowed by
	 * its hash only (not {@code 'unsafe-inline'}): a new Swagger UI with another style is
	 * refused, and the browser test of the Swagger UI says so.
	 */
	static final String SWAGGER_UI_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self';",
			"style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';");

	/**
	 * The servlet container's session cookie (the portal tracks sessions by cookie only).
	 */
	static final String SESSION_COOKIE = "JSESSIONID";

	/**
	 * BCrypt today, and old hashes keep working when the default algorithm changes
	 * ({@code {id}} prefix).
	 */
	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	/**
	 * The filter chain exists only in a servlet web application (integration tests may
	 * run without one).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class WebSecurity {

		// -----------------------------------------------------------------------------------------------------
		// /api/** (bearer tokens, stateless, no CSRF) comes with the REST API issue as a
		// second, @Order(1)
		// SecurityFilterChain matching only /api/**, resolving tokens with
		// AccountManagement.findByApiToken.
		// Until then /api/** falls under the chain below and needs a signed-in session
		// like every other page.
		// -----------------------------------------------------------------------------------------------------

		/**
		 * The web UI: form sign-in, single sign-on when a provider is configured, and a
		 * session. CSRF protection stays on with its defaults.
		 */
		@Bean
		SecurityFilterChain webSecurityFilterChain(HttpSecurity http,
				ObjectProvider<ClientRegistrationRepository> clientRegistrations, SsoProperties sso,
				AccountManagement accounts, LoginThrottle throttle, Clock clock) throws Exception {
			// one answer for a wrong password, an unknown or disabled name and a
			// throttled attempt
			AuthenticationFailureHandler loginFailure = new SimpleUrlAuthenticationFailureHandler("/login?error");
			HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
			requestCache.setMatchingRequestParameterName(null);
			http.authorizeHttpRequests((authorize) -> {
				authorize
					.requestMatchers("/login", "/error", "/actuator/health/**", "/css/**", "/js/**", "/webjars/**",
							"/favicon.ico")
					.permitAll()
					// Prometheus scrapes without a session: counts and timings, no names
					// (keep it inside the cluster: deploy/, the network policy)
					.requestMatchers("/actuator/prometheus")
					.permitAll()
					// the REST API's OpenAPI document and Swagger UI describe a public
					// contract; calling it needs a token
					.requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
					.permitAll();
				// the pages' roles, which the 403 page explains from the same rules
				for (PageAccess.Rule rule : PageAccess.RULES) {
					((rule.method() != null) ? authorize.requestMatchers(rule.method(), rule.patternArray())
							: authorize.requestMatchers(rule.patternArray()))
						.hasAnyRole(rule.roleNames());
				}
				// a signed-in person without any portal role (e.g. SSO with no mapped
				// group) sees only the home page
				authorize.requestMatchers("/")
					.authenticated()
					.anyRequest()
					.hasAnyRole(PageAccess.names(PageAccess.ANY_ROLE).toArray(String[]::new));
			})
				// roles and enabled state as stored now, not as they were at sign-in
				.addFilterAfter(new CurrentAccountFilter(accounts, clock), SecurityContextHolderFilter.class)
				.addFilterBefore(new LoginThrottleFilter(throttle, loginFailure),
						UsernamePasswordAuthenticationFilter.class)
				.formLogin((form) -> form.loginPage("/login").failureHandler(loginFailure).permitAll())
				// the session cookie goes with the session, so that the sign-in page
				// after
				// sign-out is not taken for an expired session
				.logout((logout) -> logout.logoutUrl("/logout")
					.logoutSuccessUrl("/login?logout")
					.deleteCookies(SESSION_COOKIE))
				// back to the page after sign-in, without the "?continue" Spring Security
				// would add to mark it
				.requestCache((cache) -> cache.requestCache(requestCache))
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(SessionExpiry.entryPoint())
					.accessDeniedHandler(SessionExpiry.accessDeniedHandler()))
				// a new session id after sign-in, so an id planted before sign-in is
				// worthless
				.sessionManagement((session) -> session.sessionFixation((fixation) -> fixation.changeSessionId()))
				// the pages' policy everywhere, the Swagger UI's (one style it injects)
				// on it
				.headers((headers) -> headers
					.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(SWAGGER_UI,
							new ContentSecurityPolicyHeaderWriter(SWAGGER_UI_POLICY)))
					.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(SWAGGER_UI),
							new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY)))
					.frameOptions((frame) -> frame.deny())
					.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
			// Boot creates the repository only when
			// spring.security.oauth2.client.registration.* names a provider
			if (clientRegistrations.getIfAvailable() != null) {
				SsoUserService users = new SsoUserService(new GroupRoleMapper(sso));
				http.oauth2Login((oauth) -> oauth.loginPage("/login")
					.userInfoEndpoint((userInfo) -> userInfo.oidcUserService(users)));
			}
			return http.build();
		}

	}

}
