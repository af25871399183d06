package io.transferportal.web;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.SshKey;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;
import io.transferportal.requests.UserLifecycle;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.Browser;
import io.transferportal.support.LifecycleIntegrationTest;
import io.transferportal.support.TestClock;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's life in Chromium with the portal's clock moved: a requester asks for a user
 * with a last day of access, the user page shows it expired once the clock passes that
 * day (keys gone from Transfer) and the requester extends it with the change form; a
 * rotation (with an access-level and a tag change) approved by another person keeps the
 * old key for its overlap, then the portal removes it.
 */
@LifecycleIntegrationTest
class LifecycleBrowserIntegrationTests {

	@RegisterExtension
	static final Browser browser = new Browser();

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	UserLifecycle lifecycle;

	@Autowired
	TestClock clock;

	@Autowired
	TransferClient transfer;

	@BeforeEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void aUserWithALastDayOfAccessExpiresAndIsExtendedInTheChangeForm() throws Exception {
		String server = this.aws.sftpServer();
		String user = AwsFixtures.unique("ex");
		LocalDate lastDay = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC).plusDays(20);

		browser.signIn("alice", "alice-password");
		browser.open("/requests/new");
		browser.select("serverId").selectByValue(server);
		browser.type("userName", user);
		browser.type("bucket", this.aws.bucket());
		browser.type("kmsKeyArn", this.aws.rootDelegatingKey());
		browser.type("sshPublicKeys", TestKeys.ED25519_A);
		browser.set("expiresAt", lastDay.toString());
		browser.click(By.id("submit"));
		browser.waitFor(By.id("status"));
		assertThat(browser.text(By.id("terms-expiry"))).startsWith(lastDay.plusDays(1) + " 00:00");
		long id = Long.parseLong(browser.path().replaceAll("\\D", ""));
		this.requests.approve(id, Actor.person("bob"), null);
		awaitStatus(id, RequestStatus.ACTIVE);

		browser.open("/users/" + server + "/" + user);
		assertThat(browser.text(By.id("lifecycle"))).contains("Access ends", lastDay.plusDays(1).toString());
		assertThat(browser.findAll(By.id("badge-expired"))).isEmpty();

		this.clock.advance(Duration.ofDays(21));
		this.lifecycle.runDue();
		RequestView expiry = await().atMost(Duration.ofSeconds(120))
			.until(() -> latest(server, user),
					(request) -> request.kind() == RequestKind.EXPIRE && request.status() == RequestStatus.ACTIVE);
		assertThat(expiry.terms().coveredBy()).contains("request " + id);
		assertThat(this.transfer.describeUser((r) -> r.serverId(server).userName(user)).user().sshPublicKeys())
			.isEmpty();

		browser.open("/users/" + server + "/" + user);
		assertThat(browser.waitFor(By.id("badge-expired")).getText()).contains("Expired");
		assertThat(browser.text(By.id("lifecycle"))).contains("expired: the SSH keys were removed");

		browser.click(By.id("change"));
		assertThat(browser.text(By.id("current-expiry"))).contains("expired");
		LocalDate later = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC).plusDays(30);
		browser.set("expiresAt", later.toString());
		browser.click(By.id("submit-change"));
		browser.waitFor(By.id("status"));
		assertThat(browser.text(By.id("status"))).isEqualTo("PENDING_APPROVAL");
		assertThat(browser.text(By.id("terms-expiry"))).startsWith(later.plusDays(1).toString());
		assertThat(browser.text(By.className("plan"))).contains("import 1 SSH key(s)");
		browser.signOut();
	}

	@Test
	void aRequesterRotatesAKeyAndChangesAccessAndTagsAnApproverApprovesAndTheOldKeyGoesAfterTheOverlap()
			throws Exception {
		String server = this.aws.sftpServer();
		String user = AwsFixtures.unique("rk");
		UserSpec spec = new UserSpec(server, user, this.aws.bucket(), null, this.aws.rootDelegatingKey(),
				List.of(TestKeys.ED25519_A), AccessLevel.READ_WRITE, null, Map.of("team", "payments"));
		long id = this.requests.submitProvision(spec, null, Actor.person("alice")).id();
		this.requests.approve(id, Actor.person("bob"), null);
		awaitStatus(id, RequestStatus.ACTIVE);

		browser.signIn("alice", "alice-password");
		browser.open("/users/" + server + "/" + user);
		browser.click(By.id("change"));
		browser.type("sshPublicKeys", TestKeys.ED25519_B);
		browser.click(By.id("access-ro"));
		browser.type("tags", "team=payments\ncost-center=4711");
		browser.type("retireAfter", "2");
		browser.click(By.id("submit-change"));
		browser.waitFor(By.id("status"));
		assertThat(browser.text(By.id("terms-rotation"))).contains("1", "2 day(s)", "without another approval");
		String plan = browser.text(By.className("plan"));
		assertThat(plan).contains("import 1 SSH key(s)").doesNotContain("delete 1 SSH key(s)");
		String requestPath = browser.path();
		browser.signOut();

		// four eyes: bob, not alice, approves in the browser
		browser.signIn("bob", "bob-password");
		browser.open(requestPath);
		browser.click(By.id("approve"));
		long change = Long.parseLong(requestPath.replaceAll("\\D", ""));
		awaitStatus(change, RequestStatus.ACTIVE);
		browser.open("/users/" + server + "/" + user);
		assertThat(browser.text(By.id("ssh-keys"))).contains("Retiring", "Active");
		assertThat(browser.text(By.id("rotation"))).contains("1 replaced key(s) removed at");
		assertThat(browser.text(By.id("spec-heading")).isBlank()).isFalse();
		assertThat(browser.text(By.tagName("main"))).contains("Read-only");
		assertThat(browser.text(By.id("spec-tags"))).contains("cost-center=4711", "team=payments");
		DescribedUser described = this.transfer.describeUser((r) -> r.serverId(server).userName(user)).user();
		assertThat(described.sshPublicKeys()).hasSize(2);
		assertThat(described.tags()).extracting((tag) -> tag.key() + "=" + tag.value()).contains("cost-center=4711");

		this.clock.advance(Duration.ofDays(3));
		this.lifecycle.runDue();
		RequestView retirement = await().atMost(Duration.ofSeconds(120))
			.until(() -> latest(server, user),
					(request) -> request.kind() == RequestKind.RETIRE_KEYS && request.status() == RequestStatus.ACTIVE);
		assertThat(retirement.terms().coveredBy()).contains("request " + change);
		assertThat(this.transfer.describeUser((r) -> r.serverId(server).userName(user)).user().sshPublicKeys())
			.extracting((key) -> SshKey.identity(key.sshPublicKeyBody()))
			.containsExactly(SshKey.identity(TestKeys.ED25519_B));
		browser.open("/users/" + server + "/" + user);
		assertThat(browser.text(By.id("ssh-keys"))).doesNotContain("Retiring");
		assertThat(browser.findAll(By.id("rotation"))).isEmpty();
		browser.signOut();
	}

	private RequestView latest(String server, String user) {
		List<RequestView> all = this.requests.search(null, null, PageRequest.of(0, 50)).getContent();
		return all.stream()
			.filter((request) -> request.serverId().equals(server) && request.userName().equals(user))
			.findFirst()
			.orElseThrow();
	}

	private void awaitStatus(long id, RequestStatus status) {
		await().atMost(Duration.ofSeconds(120)).until(() -> this.requests.find(id).orElseThrow().status() == status);
	}

}
