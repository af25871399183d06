package io.transferportal.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/** Input rules of the accounts API and how API tokens are stored. */
class AccountManagementTests {

	static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

	AccountRepository repository = mock(AccountRepository.class);

	Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	AccountManagement accounts = new AccountManagement(this.repository,
			PasswordEncoderFactories.createDelegatingPasswordEncoder(),
			new LoginThrottle(new SecurityProperties(5, 50, Duration.ofMinutes(15)), this.clock), this.clock);

	@Test
	void createRejectsABadUserName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.create("a b", "long-enough", Set.of(PortalRole.REQUESTER)))
			.withMessageContaining("user name");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.create("ab", "long-enough", Set.of(PortalRole.REQUESTER)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.create("<script>", "long-enough", Set.of(PortalRole.REQUESTER)));
	}

	@Test
	void createRejectsAShortOrOverlongPassword() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.create("dave", "short", Set.of(PortalRole.REQUESTER)))
			.withMessageContaining("at least 8");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.create("dave", "x".repeat(73), Set.of(PortalRole.REQUESTER)))
			.withMessageContaining("72 bytes");
	}

	@Test
	void createRejectsNoRoles() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.accounts.create("dave", "long-enough", Set.of()))
			.withMessageContaining("role");
	}

	@Test
	void createRejectsANameThatDiffersOnlyInCase() {
		given(this.repository.existsByUsernameIgnoreCase("Alice")).willReturn(true);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.create("Alice", "long-enough", Set.of(PortalRole.REQUESTER)))
			.withMessageContaining("already exists");
		then(this.repository).should(never()).save(any());
	}

	@Test
	void ensureExistsLeavesAnExistingAccountAlone() {
		given(this.repository.existsByUsernameIgnoreCase("alice")).willReturn(true);
		assertThat(this.accounts.ensureExists("alice", "new-password", Set.of(PortalRole.ADMIN), null)).isFalse();
		then(this.repository).should(never()).save(any());
	}

	@Test
	void ensureExistsStoresTheApiTokenAsLowerCaseSha256() {
		given(this.repository.save(any())).willAnswer((invocation) -> invocation.getArgument(0));
		String token = "0123456789abcdef0123456789abcdef";
		this.accounts.ensureExists("robot", "long-enough", Set.of(PortalRole.REQUESTER), token);
		then(this.repository).should()
			.save(argThat((Account account) -> DigestUtils.sha256Hex(token)
				.equals(ReflectionTestUtils.getField(account, "apiTokenHash"))));
		assertThat(DigestUtils.sha256Hex("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void ensureExistsRejectsAShortApiToken() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.accounts.ensureExists("robot", "long-enough", Set.of(PortalRole.REQUESTER), "short"))
			.withMessageContaining("32");
	}

	@Test
	void findByApiTokenLooksUpTheHash() {
		Account robot = new Account("robot", "{bcrypt}x", Set.of(PortalRole.REQUESTER), NOW);
		given(this.repository.findByApiTokenHash(DigestUtils.sha256Hex("the-token"))).willReturn(Optional.of(robot));
		assertThat(this.accounts.findByApiToken("the-token")).map(AccountSummary::username).contains("robot");
		assertThat(this.accounts.findByApiToken("other-token")).isEmpty();
		assertThat(this.accounts.findByApiToken(" ")).isEmpty();
	}

}
