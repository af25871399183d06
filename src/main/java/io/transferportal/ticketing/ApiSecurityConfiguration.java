package io.transferportal.ticketing;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import io.transferportal.accounts.AccountManagement;

/**
 * {@code /api/**}: stateless bearer tokens, no session and so no CSRF; reading needs
 * {@code requests:read}. Who may change what (submit, approve, deprovision, ...) is
 * decided by the requests module for every caller alike, so the URL rules only ask for a
 * valid token there. Checked before the web UI's chain.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiSecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiClientManagement clients,
			AccountManagement accounts, ApiProperties properties, Clock clock) throws Exception {
		http.securityMatcher("/api/**")
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers(HttpMethod.GET, "/api/**")
				.hasAuthority("SCOPE_" + ApiScopes.READ)
				.anyRequest()
				.authenticated())
			.addFilterBefore(new ApiTokenFilter(clients, accounts, properties, clock),
					AnonymousAuthenticationFilter.class)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// no cookies, no session: nothing for a cross-site request to ride on
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint((request, response, ex) -> ApiProblems.write(response,
						ApiProblems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
								"Send 'Authorization: Bearer <token>'.")))
				.accessDeniedHandler(
						(request, response, ex) -> ApiProblems.write(response, ApiProblems.problem(HttpStatus.FORBIDDEN,
								"forbidden", "Forbidden", "This token may not do that (missing scope)."))));
		return http.build();
	}

}
