package io.transferportal.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login rules an account owns: lock after repeated failures, unlock after the
 * lockout, reset on success.
 */
class AccountTests {

	static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

	static final Duration LOCKOUT = Duration.ofMinutes(15);

	Account account = new Account("alice", "{bcrypt}hash", Set.of(PortalRole.REQUESTER), NOW);

	@Test
	void newAccountIsEnabledAndUnlocked() {
		assertThat(this.account.isEnabled()).isTrue();
		assertThat(this.account.isLocked(NOW)).isFalse();
		assertThat(this.account.getFailedAttempts()).isZero();
	}

	@Test
	void fewerFailuresThanTheLimitDoNotLock() {
		fail(4);
		assertThat(this.account.getFailedAttempts()).isEqualTo(4);
		assertThat(this.account.isLocked(NOW)).isFalse();
	}

	@Test
	void theLimitOfFailuresLocksForTheLockoutDuration() {
		fail(5);
		assertThat(this.account.isLocked(NOW)).isTrue();
		assertThat(this.account.getLockedUntil()).isEqualTo(NOW.plus(LOCKOUT));
		assertThat(this.account.isLocked(NOW.plus(LOCKOUT).minusSeconds(1))).isTrue();
	}

	@Test
	void theLockEndsWhenTheLockoutHasPassed() {
		fail(5);
		assertThat(this.account.isLocked(NOW.plus(LOCKOUT))).isFalse();
	}

	@Test
	void failuresWhileLockedNeitherCountNorExtendTheLock() {
		fail(5);
		this.account.recordFailedLogin(NOW.plusSeconds(60), 5, LOCKOUT);
		assertThat(this.account.getFailedAttempts()).isEqualTo(5);
		assertThat(this.account.getLockedUntil()).isEqualTo(NOW.plus(LOCKOUT));
	}

	@Test
	void afterAnExpiredLockTheCountStartsAgain() {
		fail(5);
		Instant later = NOW.plus(LOCKOUT).plusSeconds(1);
		this.account.recordFailedLogin(later, 5, LOCKOUT);
		assertThat(this.account.getFailedAttempts()).isEqualTo(1);
		assertThat(this.account.isLocked(later)).isFalse();
	}

	@Test
	void successResetsTheCounter() {
		fail(4);
		this.account.recordSuccessfulLogin();
		assertThat(this.account.getFailedAttempts()).isZero();
		fail(4);
		assertThat(this.account.isLocked(NOW)).isFalse();
	}

	@Test
	void unlockLiftsALock() {
		fail(5);
		this.account.unlock();
		assertThat(this.account.isLocked(NOW)).isFalse();
		assertThat(this.account.getFailedAttempts()).isZero();
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
		assertThat(this.account.toSummary(NOW).roles()).containsExactly(PortalRole.REQUESTER, PortalRole.ADMIN);
	}

	@Test
	void summaryReportsTheLock() {
		fail(5);
		assertThat(this.account.toSummary(NOW))
			.isEqualTo(new AccountSummary("alice", Set.of(PortalRole.REQUESTER), true, true));
	}

	private void fail(int times) {
		for (int i = 0; i < times; i++) {
			this.account.recordFailedLogin(NOW, 5, LOCKOUT);
		}
	}

}
