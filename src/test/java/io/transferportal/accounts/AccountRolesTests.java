package io.transferportal.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** Administrators replace an account's roles. */
class AccountRolesTests {

	static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

	AccountRepository repository = mock(AccountRepository.class);

	Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	AccountManagement accounts = new AccountManagement(this.repository,
			PasswordEncoderFactories.createDelegatingPasswordEncoder(),
			new LoginThrottle(new SecurityProperties(5, 50, Duration.ofMinutes(15)), this.clock), this.clock);

	@Test
	void setRolesReplacesTheRoles() {
		Account dave = new Account("dave", "{noop}x", Set.of(PortalRole.REQUESTER), Instant.EPOCH);
		given(this.repository.findByUsername("dave")).willReturn(Optional.of(dave));
		AccountSummary summary = this.accounts.setRoles("dave", Set.of(PortalRole.APPROVER, PortalRole.ADMIN));
		assertThat(dave.getRoles()).containsExactly(PortalRole.APPROVER, PortalRole.ADMIN);
		assertThat(summary.roles()).containsExactly(PortalRole.APPROVER, PortalRole.ADMIN);
		assertThat(summary.enabled()).isTrue();
	}

	@Test
	void setRolesRejectsNoRoles() {
		Account dave = new Account("dave", "{noop}x", Set.of(PortalRole.REQUESTER), Instant.EPOCH);
		given(this.repository.findByUsername("dave")).willReturn(Optional.of(dave));
		assertThatIllegalArgumentException().isThrownBy(() -> this.accounts.setRoles("dave", Set.of()))
			.withMessageContaining("at least one role");
		assertThat(dave.getRoles()).containsExactly(PortalRole.REQUESTER);
	}

	@Test
	void setRolesRejectsAnUnknownAccount() {
		given(this.repository.findByUsername("nobody")).willReturn(Optional.empty());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.setRoles("nobody", Set.of(PortalRole.REQUESTER)))
			.withMessageContaining("no account named");
	}

}
