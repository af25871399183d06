package io.transferportal.accounts;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.transferportal.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in throttle's rules, on a clock only the test moves: five attempts per name,
 * ten per address (here), one coming back every three minutes (a 15-minute period).
 */
class LoginThrottleTests {

	static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

	TestClock clock = TestClock.frozenAt(START);

	LoginThrottle throttle = new LoginThrottle(new SecurityProperties(5, 10, Duration.ofMinutes(15)), this.clock);

	@Test
	void aNameHasFiveAttemptsWhetherOrNotAnAccountHasIt() {
		// the throttle never looks at accounts, so a known and an unknown name are
		// refused at the same attempt
		for (String name : new String[] { "alice", "nobody-at-all" }) {
			for (int i = 0; i < 5; i++) {
				assertThat(this.throttle.tryAcquire(name, "192.0.2." + i)).as("attempt %d of %s", i + 1, name).isTrue();
			}
			assertThat(this.throttle.tryAcquire(name, "192.0.2.99")).isFalse();
			assertThat(this.throttle.pausedUntil(name)).contains(START.plus(Duration.ofMinutes(3)));
		}
	}

	@Test
	void namesAreComparedIgnoringCaseAndSurroundingBlanks() {
		spend("Alice", 5, "192.0.2.1");
		assertThat(this.throttle.tryAcquire(" alice ", "192.0.2.2")).isFalse();
		assertThat(this.throttle.tryAcquire("ALICE", "192.0.2.3")).isFalse();
	}

	@Test
	void spentAttemptsComeBackOneByOneOverThePeriod() {
		spend("bob", 5, "192.0.2.1");
		this.clock.advance(Duration.ofMinutes(3).minusSeconds(1));
		assertThat(this.throttle.tryAcquire("bob", "192.0.2.1")).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.throttle.tryAcquire("bob", "192.0.2.1")).isTrue();
		assertThat(this.throttle.tryAcquire("bob", "192.0.2.1")).isFalse();
		this.clock.advance(Duration.ofMinutes(15));
		spend("bob", 5, "192.0.2.1");
		assertThat(this.throttle.pausedUntil("bob")).isPresent();
	}

	@Test
	void aCorrectPasswordGivesTheNameAllItsAttemptsBack() {
		spend("carol", 4, "192.0.2.1");
		this.throttle.succeeded("carol", "192.0.2.1");
		spend("carol", 5, "192.0.2.1");
		assertThat(this.throttle.tryAcquire("carol", "192.0.2.1")).isFalse();
	}

	@Test
	void anAdministratorsResetEndsThePause() {
		spend("dave", 5, "192.0.2.1");
		this.throttle.forget("dave");
		assertThat(this.throttle.pausedUntil("dave")).isEmpty();
		assertThat(this.throttle.tryAcquire("dave", "192.0.2.1")).isTrue();
	}

	@Test
	void anAddressHasItsOwnLimitOverEveryNameAndARefusalSpendsNothing() {
		for (int i = 0; i < 10; i++) {
			assertThat(this.throttle.tryAcquire("sprayed-" + i, "198.51.100.7")).isTrue();
		}
		assertThat(this.throttle.tryAcquire("eve", "198.51.100.7")).isFalse();
		// the refused attempt did not spend one of eve's
		spend("eve", 5, "198.51.100.8");
		// other addresses are not affected
		assertThat(this.throttle.tryAcquire("frank", "198.51.100.8")).isTrue();
	}

	@Test
	void aSuccessGivesTheAddressBackOnlyTheAttemptItSpent() {
		// ten colleagues behind one address sign in correctly: none of them uses up
		// the address
		for (int i = 0; i < 20; i++) {
			assertThat(this.throttle.tryAcquire("colleague-" + i, "203.0.113.1")).isTrue();
			this.throttle.succeeded("colleague-" + i, "203.0.113.1");
		}
		for (int i = 0; i < 10; i++) {
			assertThat(this.throttle.tryAcquire("guess-" + i, "203.0.113.1")).isTrue();
		}
		assertThat(this.throttle.tryAcquire("colleague-0", "203.0.113.1")).isFalse();
	}

	@Test
	void ipv6AddressesCountByTheirSlash64() {
		assertThat(LoginThrottle.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(LoginThrottle.addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(LoginThrottle.addressKey("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3:0:0:0:0/64");
		assertThat(LoginThrottle.addressKey("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
		assertThat(LoginThrottle.addressKey("192.0.2.1")).isEqualTo("192.0.2.1");
		// never looked up in DNS: a name (from a forwarded header) is used as it is
		assertThat(LoginThrottle.addressKey("attacker.example")).isEqualTo("attacker.example");
		assertThat(LoginThrottle.addressKey("not:an:address")).isEqualTo("not:an:address");
		for (int i = 0; i < 10; i++) {
			assertThat(this.throttle.tryAcquire("v6-" + i, "2001:db8:5:5::" + Integer.toHexString(i + 1))).isTrue();
		}
		assertThat(this.throttle.tryAcquire("v6-next", "2001:db8:5:5:ffff::1")).isFalse();
	}

	@Test
	void anOverlongNameIsTrackedByItsFirstCharactersOnly() {
		String prefix = "x".repeat(101);
		spend(prefix + "a", 5, "192.0.2.1");
		assertThat(this.throttle.tryAcquire(prefix + "b", "192.0.2.1")).isFalse();
	}

	private void spend(String name, int attempts, String address) {
		for (int i = 0; i < attempts; i++) {
			assertThat(this.throttle.tryAcquire(name, address)).as("attempt %d of %s", i + 1, name).isTrue();
		}
	}

}
