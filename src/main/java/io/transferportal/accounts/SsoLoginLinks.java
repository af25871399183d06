package io.transferportal.accounts;

import java.util.List;
import java.util.stream.StreamSupport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Offers single sign-on on the sign-in page: one link per configured provider, none when
 * single sign-on is off (no {@link ClientRegistrationRepository}).
 */
@ControllerAdvice(assignableTypes = HomeController.class)
class SsoLoginLinks {

	private final ObjectProvider<ClientRegistrationRepository> clientRegistrations;

	SsoLoginLinks(ObjectProvider<ClientRegistrationRepository> clientRegistrations) {
		this.clientRegistrations = clientRegistrations;
	}

	@ModelAttribute("ssoProviders")
	List<Provider> ssoProviders() {
		// Boot's repository can list its registrations; a custom one that cannot gets no
		// links
		if (!(this.clientRegistrations.getIfAvailable() instanceof Iterable<?> registrations)) {
			return List.of();
		}
		return StreamSupport.stream(registrations.spliterator(), false)
			.filter(ClientRegistration.class::isInstance)
			.map(ClientRegistration.class::cast)
			.filter((registration) -> AuthorizationGrantType.AUTHORIZATION_CODE
				.equals(registration.getAuthorizationGrantType()))
			.map((registration) -> new Provider(registration.getClientName(),
					OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI + "/"
							+ registration.getRegistrationId()))
			.toList();
	}

	/**
	 * A provider to sign in with.
	 *
	 * @param name the registration's client name, to tell several providers apart
	 * @param path where the sign-in starts (Spring Security redirects from there to the
	 * provider)
	 */
	record Provider(String name, String path) {
	}

}
