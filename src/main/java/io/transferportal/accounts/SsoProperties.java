package io.transferportal.accounts;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on with an OpenID Connect provider. It is on only when a client
 * registration exists ({@code spring.security.oauth2.client.registration.*}, with
 * {@code openid} among its scopes); these settings only say which portal roles the
 * provider's groups give.
 *
 * @param groupsClaim the ID token or user info claim that holds the user's groups, as a
 * JSON array or one string
 * @param groupRoles provider group to comma-separated {@link PortalRole} names, such as
 * {@code portal.sso.group-roles.transfer-approvers=APPROVER}; a group not listed gives no
 * role. Put a group name with characters other than lower-case letters, digits and
 * {@code -} in brackets: {@code portal.sso.group-roles[Admins]}
 */
@ConfigurationProperties("portal.sso")
record SsoProperties(@DefaultValue("groups") String groupsClaim, @DefaultValue Map<String, String> groupRoles) {
}
