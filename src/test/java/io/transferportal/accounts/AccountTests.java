package io.transferportal.accounts;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an account holds: enabled state, password hash, roles, its summary. */
class AccountTests {

	static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

	Account account = new Account("alice", "{bcrypt}hash", Set.of(PortalRole.REQUESTER), NOW);

	@Test
	void newAccountIsEnabled() {
		assertThat(this.account.isEnabled()).isTrue();
	}

	@Test
	void disableAndEnable() {
		this.account.disable();
		assertThat(this.account.isEnabled()).isFalse();
		this.account.enable();
		assertThat(this.account.isEnabled()).isTrue();
	}

	@Test
	void changePasswordReplacesTheHash() {
		this.account.changePassword("{bcrypt}other");
		assertThat(this.account.getPasswordHash()).isEqualTo("{bcrypt}other");
	}

	@Test
	void rolesAreStoredInDeclarationOrderAndReadBack() {
		this.account.setRoles(Set.of(PortalRole.ADMIN, PortalRole.REQUESTER));
		assertThat(this.account.getRoles()).containsExactly(PortalRole.REQUESTER, PortalRole.ADMIN);
		assertThat(this.account.toSummary(null).roles()).containsExactly(PortalRole.REQUESTER, PortalRole.ADMIN);
	}

	@Test
	void summaryCarriesThePauseItIsGiven() {
		assertThat(this.account.toSummary(NOW))
			.isEqualTo(new AccountSummary("alice", Set.of(PortalRole.REQUESTER), true, NOW));
		assertThat(this.account.toSummary(null).signInPausedUntil()).isNull();
	}

}
