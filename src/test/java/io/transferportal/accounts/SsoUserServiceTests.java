package io.transferportal.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed-in SSO user: roles only from configured groups, named by preferred_username
 * or else sub.
 */
class SsoUserServiceTests {

	static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

	GroupRoleMapper groupRoles = new GroupRoleMapper(
			new SsoProperties("groups", Map.of("transfer-approvers", "APPROVER")));

	@Test
	void preferredUsernameIsTheNameAndGroupsGiveRoles() {
		OidcUser user = load(idToken(Map.of("preferred_username", "dave", "groups", List.of("transfer-approvers"))));
		assertThat(user.getName()).isEqualTo("sso:dave");
		assertThat(authorities(user)).contains("ROLE_APPROVER", "OIDC_USER", "SCOPE_openid");
	}

	@Test
	void subIsTheNameWithoutPreferredUsername() {
		OidcUser user = load(idToken(Map.of("groups", "contractors")));
		assertThat(user.getName()).isEqualTo("sso:0042");
		assertThat(authorities(user)).noneMatch((authority) -> authority.startsWith("ROLE_"));
	}

	@Test
	void rolesFromElsewhereAreDropped() {
		OidcIdToken idToken = idToken(Map.of("preferred_username", "mallory"));
		SsoUserService service = new SsoUserService(
				(request) -> new DefaultOidcUser(
						Set.of(new OidcUserAuthority(idToken), new SimpleGrantedAuthority("ROLE_ADMIN")), idToken),
				this.groupRoles);
		assertThat(authorities(service.loadUser(request(idToken)))).containsExactly("OIDC_USER");
	}

	private OidcUser load(OidcIdToken idToken) {
		SsoUserService service = new SsoUserService(
				(request) -> new DefaultOidcUser(
						Set.of(new OidcUserAuthority(idToken), new SimpleGrantedAuthority("SCOPE_openid")), idToken),
				this.groupRoles);
		return service.loadUser(request(idToken));
	}

	private static OidcIdToken idToken(Map<String, Object> claims) {
		return OidcIdToken.withTokenValue("id-token")
			.subject("0042")
			.issuer("https://idp.example")
			.issuedAt(NOW)
			.expiresAt(NOW.plusSeconds(300))
			.claims((all) -> all.putAll(claims))
			.build();
	}

	private static OidcUserRequest request(OidcIdToken idToken) {
		ClientRegistration registration = ClientRegistration.withRegistrationId("idp")
			.clientId("portal")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.authorizationUri("https://idp.example/authorize")
			.tokenUri("https://idp.example/token")
			.build();
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "access-token", NOW,
				NOW.plusSeconds(300), Set.of("openid"));
		return new OidcUserRequest(registration, accessToken, idToken);
	}

	private static List<String> authorities(OidcUser user) {
		return user.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
	}

}
