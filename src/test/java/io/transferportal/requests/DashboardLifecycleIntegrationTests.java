package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.LifecycleIntegrationTest;
import io.transferportal.support.TestClock;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's lifecycle filters and counts as the database answers them: users
 * provisioned against moto_server (whose verification counts their SSH keys), then the
 * portal's clock moved past the review interval and the maximum key age.
 */
@LifecycleIntegrationTest
class DashboardLifecycleIntegrationTests {

	static final PageRequest PAGE = PageRequest.of(0, 50, Sort.by("serverId", "userName"));

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	ManagedUserRepository users;

	@Autowired
	TestClock clock;

	@Autowired
	AwsFixtures aws;

	TransactionTemplate transaction;

	String server;

	@BeforeEach
	void setUp(@Autowired PlatformTransactionManager transactions) {
		this.clock.reset();
		this.transaction = new TransactionTemplate(transactions);
	}

	@Test
	void filtersFindUsersByTheirStateOfLifeAlongsideTheTextFilter() {
		String server = this.aws.sftpServer();
		this.server = server;
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		String prefix = AwsFixtures.unique("lc");
		String ann = prefix + "-ann";
		String ben = prefix + "-ben";
		String cleo = prefix + "-cleo";
		provision(AwsFixtures.spec(server, ann, bucket, key, TestKeys.ED25519_A, TestKeys.ED25519_B));
		provision(AwsFixtures.spec(server, ben, bucket, key, TestKeys.newEcdsaKey(ben)));
		provision(AwsFixtures.spec(server, cleo, bucket, key, TestKeys.newEcdsaKey(cleo)));

		// the verification after each run counted the keys Transfer holds
		assertThat(this.requests.managedUser(server, ann).orElseThrow().lifecycle().sshKeyCount()).isEqualTo(2);
		assertThat(this.requests.managedUser(server, ben).orElseThrow().lifecycle().sshKeyCount()).isEqualTo(1);
		for (LifecycleState state : LifecycleState.values()) {
			assertThat(names(prefix, state)).as(state.name()).isEmpty();
		}
		Map<LifecycleState, Long> before = this.requests.lifecycleCounts();

		Instant now = this.clock.instant();
		change(ann, (user) -> user.expiresAt(now.plus(Duration.ofDays(10))));
		change(ben, (user) -> user.expiresAt(now.plus(Duration.ofDays(30))));
		change(cleo, (user) -> user.suspended(ManagedUser.Suspension.EXPIRED,
				Objects.requireNonNull(user.getLastRequestId()), now));

		assertThat(names(prefix, LifecycleState.EXPIRING)).as("within the 14 days' warning").containsExactly(ann);
		assertThat(names(prefix, LifecycleState.SUSPENDED)).containsExactly(cleo);
		assertThat(names(ann, LifecycleState.EXPIRING)).as("with the text filter").containsExactly(ann);
		assertThat(names(ben, LifecycleState.EXPIRING)).isEmpty();
		assertThat(this.requests.managedUsers(prefix, Health.OK, LifecycleState.EXPIRING, PAGE).getContent())
			.as("with the health filter")
			.extracting(ManagedUserView::userName)
			.containsExactly(ann);
		Map<LifecycleState, Long> marked = this.requests.lifecycleCounts();
		assertThat(marked.get(LifecycleState.EXPIRING)).isEqualTo(before.get(LifecycleState.EXPIRING) + 1);
		assertThat(marked.get(LifecycleState.SUSPENDED)).isEqualTo(before.get(LifecycleState.SUSPENDED) + 1);

		// the expiries end here: once they pass, the portal would suspend ann and ben
		// (and so remove their keys) while this test moves the clock on
		change(ann, (user) -> user.expiresAt(null));
		change(ben, (user) -> user.expiresAt(null));
		assertThat(names(prefix, LifecycleState.EXPIRING)).isEmpty();

		// past the review interval (90 days): every grant is overdue, no key is old yet
		this.clock.advance(Duration.ofDays(91));
		assertThat(names(prefix, LifecycleState.REVIEW_OVERDUE)).containsExactly(ann, ben, cleo);
		assertThat(names(prefix, LifecycleState.ROTATION_DUE)).isEmpty();
		change(ben, (user) -> user.reviewed("reviewer", this.clock.instant()));
		assertThat(names(prefix, LifecycleState.REVIEW_OVERDUE)).as("a review restarts the interval")
			.containsExactly(ann, cleo);
		change(ann, (user) -> user.reviewed("reviewer", this.clock.instant()));
		change(cleo, (user) -> user.reviewed("reviewer", this.clock.instant()));

		// past the maximum key age (180 days), within the interval of those reviews
		this.clock.advance(Duration.ofDays(89).plusHours(1));
		assertThat(names(prefix, LifecycleState.ROTATION_DUE)).containsExactly(ann, ben, cleo);
		assertThat(names(prefix, LifecycleState.REVIEW_OVERDUE)).isEmpty();
		assertThat(this.requests.managedUsers(prefix, null, LifecycleState.ROTATION_DUE, PAGE).getContent())
			.allSatisfy((user) -> assertThat(user.lifecycle().rotationDue()).isTrue());
		assertThat(this.requests.lifecycleCounts().get(LifecycleState.ROTATION_DUE)).isGreaterThanOrEqualTo(3);
		assertThat(this.requests
			.managedUsers(prefix, null, LifecycleState.ROTATION_DUE,
					PageRequest.of(1, 2, Sort.by("serverId", "userName")))
			.getContent()).as("paged as today").extracting(ManagedUserView::userName).containsExactly(cleo);
	}

	private List<String> names(String text, LifecycleState state) {
		return this.requests.managedUsers(text, null, state, PAGE)
			.getContent()
			.stream()
			.map(ManagedUserView::userName)
			.toList();
	}

	private void change(String userName, Consumer<ManagedUser> change) {
		this.transaction.executeWithoutResult(
				(status) -> change.accept(this.users.findByServerIdAndUserName(this.server, userName).orElseThrow()));
	}

	private void provision(UserSpec spec) {
		long id = this.requests.submitProvision(spec, "CHG-LC", Actor.person("alice")).id();
		this.requests.approve(id, Actor.person("bob"), null);
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.requests.find(id).orElseThrow().status(),
					(status) -> status == RequestStatus.ACTIVE || status == RequestStatus.FAILED);
		assertThat(this.requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.ACTIVE);
	}

}
