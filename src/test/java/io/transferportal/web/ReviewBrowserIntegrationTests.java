package io.transferportal.web;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.Browser;
import io.transferportal.support.LifecycleIntegrationTest;
import io.transferportal.support.TestClock;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access reviews page in a real headless Chromium, as {@link BrowserIntegrationTests}
 * (with the lifecycle settings on and a test clock): an approver sees who is overdue or
 * due soon, confirms one user with its row's button, cannot review the access they asked
 * for, and another approver revokes it with a comment from the selection.
 */
@LifecycleIntegrationTest
class ReviewBrowserIntegrationTests {

	@RegisterExtension
	static final Browser browser = new Browser();

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	TestClock clock;

	@BeforeEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void anApproverConfirmsOneRevokesAnotherAndCannotReviewTheAccessTheyAskedFor() throws Exception {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		String overdue = AwsFixtures.unique("old");
		String dueSoon = AwsFixtures.unique("new");
		provision(AwsFixtures.spec(server, overdue, bucket, key, TestKeys.ED25519_A), "alice");
		this.clock.advance(Duration.ofDays(10));
		provision(AwsFixtures.spec(server, dueSoon, bucket, key, TestKeys.ED25519_B), "carol");
		// the first is past its 90 days, the second due within 14
		this.clock.advance(Duration.ofDays(82));

		browser.signIn("carol", "carol-password");
		browser.click(By.linkText("Access reviews"));
		browser.waitFor(By.id("reviews-form"));
		WebElement first = browser.find(By.id("review-" + overdue));
		WebElement second = browser.find(By.id("review-" + dueSoon));
		assertThat(first.findElement(By.className("review-due")).getText()).contains("Overdue");
		assertThat(second.findElement(By.className("review-due")).getText()).contains("Due soon");
		assertThat(second.getText()).contains("yours: another approver reviews it");
		assertThat(second.findElements(By.tagName("button"))).as("no buttons for her own grant").isEmpty();
		browser.screenshot("access-reviews");

		browser.click(By.id("confirm-" + overdue));
		assertThat(browser.waitFor(By.id("reviewed")).getText())
			.startsWith("Confirmed the access of " + overdue + " on " + server);
		assertThat(browser.findAll(By.id("review-" + overdue))).as("confirmed: due in 90 days").isEmpty();

		// the server refuses what the page does not offer
		select(dueSoon);
		browser.click(By.id("confirm-selected"));
		assertThat(browser.waitFor(By.id("refused")).getText())
			.contains(dueSoon + " on " + server + ": Four eyes: carol");
		browser.signOut();

		browser.signIn("bob", "bob-password");
		browser.open("/reviews");
		select(dueSoon);
		browser.click(By.id("revoke-selected"));
		assertThat(browser.waitFor(By.cssSelector("#content > .alert-danger")).getText())
			.contains("the comment is required to revoke access");
		select(dueSoon);
		browser.type("comment", "The project ended");
		browser.click(By.id("revoke-selected"));
		assertThat(browser.waitFor(By.id("reviewed")).getText())
			.startsWith("Revoked the access of " + dueSoon + " on " + server + ": request ")
			.endsWith(" removes it without a second approval.");
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> !this.requests.managedUser(server, dueSoon).orElseThrow().active());
		ManagedUserView kept = this.requests.managedUser(server, overdue).orElseThrow();
		assertThat(kept.lifecycle().reviewedBy()).isEqualTo("carol");
		// a confirmation of a user the lifecycle job suspended meanwhile gives its keys
		// back; let that run end before the clock moves again
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> RequestStatus.OPEN.stream()
				.flatMap((status) -> this.requests.withStatus(status).stream())
				.noneMatch((r) -> r.userName().equals(overdue)));
	}

	private void provision(UserSpec spec, String requester) {
		RequestView request = this.requests.submitProvision(spec, null, Actor.person(requester));
		this.requests.approve(request.id(), Actor.person("bob"), null);
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.requests.find(request.id()).orElseThrow().status() == RequestStatus.ACTIVE);
	}

	private static void select(String userName) {
		WebElement box = browser.find(By.id("review-" + userName)).findElement(By.name("users"));
		if (!box.isSelected()) {
			browser.click(box);
		}
	}

}
