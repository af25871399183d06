package io.transferportal.accounts;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Provider groups to portal roles: only configured groups count, whatever form the claim
 * takes.
 */
class GroupRoleMapperTests {

	GroupRoleMapper mapper = new GroupRoleMapper(new SsoProperties("groups",
			Map.of("transfer-approvers", "APPROVER", "transfer-admins", "ADMIN, APPROVER", "staff", "REQUESTER")));

	@Test
	void arrayClaimGivesTheRolesOfEveryConfiguredGroup() {
		assertThat(this.mapper.roles(Map.of("groups", List.of("staff", "transfer-admins"))))
			.containsExactlyInAnyOrder(PortalRole.REQUESTER, PortalRole.APPROVER, PortalRole.ADMIN);
	}

	@Test
	void stringClaimIsOneGroup() {
		assertThat(this.mapper.roles(Map.of("groups", "transfer-approvers"))).containsExactly(PortalRole.APPROVER);
	}

	@Test
	void unknownGroupGivesNoRole() {
		assertThat(this.mapper.roles(Map.of("groups", List.of("contractors", "Transfer-Approvers")))).isEmpty();
	}

	@Test
	void missingOrOddClaimGivesNoRole() {
		assertThat(this.mapper.roles(Map.of("sub", "dave"))).isEmpty();
		assertThat(this.mapper.roles(Map.of("groups", 42))).isEmpty();
		assertThat(this.mapper.roles(Map.of("groups", List.of(42, "staff")))).containsExactly(PortalRole.REQUESTER);
	}

	@Test
	void groupsClaimCanBeRenamed() {
		GroupRoleMapper mapper = new GroupRoleMapper(
				new SsoProperties("roles", Map.of("transfer-approvers", "APPROVER")));
		assertThat(mapper.roles(Map.of("roles", List.of("transfer-approvers")))).containsExactly(PortalRole.APPROVER);
		assertThat(mapper.roles(Map.of("groups", List.of("transfer-approvers")))).isEmpty();
	}

	@Test
	void unknownRoleFailsAtStartUp() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new GroupRoleMapper(new SsoProperties("groups", Map.of("ops", "APPROVER,ROOT"))))
			.withMessageContaining("'ops'")
			.withMessageContaining("'ROOT'");
	}

}
