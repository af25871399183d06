package io.transferportal.accounts;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.util.StringUtils;

/**
 * Signs in users of the OpenID Connect provider. Their portal roles come only from their
 * groups ({@link GroupRoleMapper}), and their portal name, the actor in requests and the
 * audit trail, is {@code preferred_username}, or {@code sub} when the provider sends
 * none.
 * <p>
 * A user whose groups give no role still signs in, like a local account without roles:
 * the home page says so and every page that needs a role answers 403. Access is then
 * managed in one place, the provider's groups.
 */
final class SsoUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

	private final OAuth2UserService<OidcUserRequest, OidcUser> delegate;

	private final GroupRoleMapper groupRoles;

	SsoUserService(GroupRoleMapper groupRoles) {
		this(new OidcUserService(), groupRoles);
	}

	SsoUserService(OAuth2UserService<OidcUserRequest, OidcUser> delegate, GroupRoleMapper groupRoles) {
		this.delegate = delegate;
		this.groupRoles = groupRoles;
	}

	@Override
	public OidcUser loadUser(OidcUserRequest request) {
		OidcUser user = this.delegate.loadUser(request);
		Set<GrantedAuthority> authorities = new LinkedHashSet<>();
		// OIDC_USER and SCOPE_* stay; a role can only come from a configured group
		user.getAuthorities()
			.stream()
			.filter((authority) -> !String.valueOf(authority.getAuthority()).startsWith("ROLE_"))
			.forEach(authorities::add);
		this.groupRoles.roles(user.getClaims())
			.forEach((role) -> authorities.add(new SimpleGrantedAuthority(role.authority())));
		String nameClaim = StringUtils.hasText(user.getPreferredUsername()) ? StandardClaimNames.PREFERRED_USERNAME
				: IdTokenClaimNames.SUB;
		return new SsoUser(authorities, user, nameClaim);
	}

	/**
	 * An SSO user is named {@code sso:<name>}: a local account "alice" and an SSO user
	 * "alice" are different people, so neither can approve the other's request as if it
	 * were their own, nor act in their name.
	 */
	static final class SsoUser extends DefaultOidcUser {

		SsoUser(Set<GrantedAuthority> authorities, OidcUser user, String nameClaim) {
			super(authorities, user.getIdToken(), user.getUserInfo(), nameClaim);
		}

		@Override
		public String getName() {
			return "sso:" + super.getName();
		}

	}

}
