package io.transferportal.accounts;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The roles each page needs, as the security chain enforces them and the 403 page
 * explains them.
 */
class PageAccessTests {

	@Test
	void theFirstRuleThatMatchesDecides() {
		assertThat(PageAccess.requiredRoles("GET", "/admin/accounts")).containsExactly(PortalRole.ADMIN);
		assertThat(PageAccess.requiredRoles("POST", "/admin/api-clients/x/revoke")).containsExactly(PortalRole.ADMIN);
		assertThat(PageAccess.requiredRoles("GET", "/approvals")).containsExactly(PortalRole.APPROVER);
		assertThat(PageAccess.requiredRoles("GET", "/requests/new"))
			.isEqualTo(Set.of(PortalRole.REQUESTER, PortalRole.ADMIN));
		assertThat(PageAccess.requiredRoles("POST", "/requests/preview"))
			.isEqualTo(Set.of(PortalRole.REQUESTER, PortalRole.ADMIN));
	}

	@Test
	void aPersonsRolesAreThePortalRolesAmongTheirAuthorities() {
		assertThat(PageAccess.rolesOf(
				new TestingAuthenticationToken("bob", "x", "ROLE_APPROVER", "SCOPE_openid", "ROLE_SOMETHING_ELSE")))
			.containsExactly(PortalRole.APPROVER);
		assertThat(PageAccess.rolesOf(null)).isEmpty();
	}

	@Test
	void aRuleForOneMethodLeavesTheOthersToTheDefault() {
		assertThat(PageAccess.requiredRoles("POST", "/requests"))
			.isEqualTo(Set.of(PortalRole.REQUESTER, PortalRole.ADMIN));
		assertThat(PageAccess.requiredRoles("GET", "/requests")).isEqualTo(PageAccess.ANY_ROLE);
		assertThat(PageAccess.requiredRoles("GET", "/dashboard")).isEqualTo(PageAccess.ANY_ROLE);
		assertThat(PageAccess.requiredRoles("GET", "/administration")).as("not under /admin/")
			.isEqualTo(PageAccess.ANY_ROLE);
	}

}
