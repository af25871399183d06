package io.transferportal.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;

import io.transferportal.provisioning.core.Target;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.Browser;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adopting a user created directly with the AWS SDK, in a real headless Chromium against
 * moto_server (as {@link BrowserIntegrationTests}): the form from the navigation, a field
 * error, the request page, the requester's own approval refused, a second person's
 * approval, the managed user.
 */
@PortalIntegrationTest
class AdoptionBrowserIntegrationTests {

	@RegisterExtension
	static final Browser browser = new Browser();

	@Autowired
	AwsFixtures aws;

	@Autowired
	TransferClient transfer;

	@Autowired
	AccessRequestManagement requests;

	@Test
	void carolAdoptsAUserMadeWithTheSdkCannotApproveItHerselfAndBobsApprovalMakesItManaged() throws Exception {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		String role = this.aws.existingRole();
		this.transfer.createUser((request) -> request.serverId(server)
			.userName("vera")
			.role(role)
			.homeDirectoryType(HomeDirectoryType.PATH)
			.homeDirectory("/" + bucket + "/vera")
			.sshPublicKeyBody(TestKeys.ED25519_C));

		browser.signIn("carol", "carol-password"); // requester and approver
		browser.click(By.linkText("Adopt a user"));
		assertThat(browser.waitFor(By.tagName("h1")).getText()).isEqualTo("Adopt an existing user");
		browser.select("serverId").selectByValue(server);
		browser.type("userName", "vera");
		browser.type("bucket", "Not_A_Bucket");
		browser.type("kmsKeyArn", key);
		browser.type("ticketRef", "CHG-7070");
		browser.click(By.id("submit-adopt"));
		assertThat(browser.waitFor(By.id("bucket-error")).getText()).contains("may contain only lower-case letters");
		assertThat(browser.find(By.id("bucket")).getAttribute("class")).contains("is-invalid");
		assertThat(browser.find(By.id("userName")).getAttribute("value")).isEqualTo("vera");

		browser.type("bucket", bucket);
		browser.click(By.id("submit-adopt"));
		browser.waitFor(By.id("status"));
		assertThat(browser.find(By.id("status")).getText()).isEqualTo("PENDING_APPROVAL");
		assertThat(browser.find(By.tagName("h1")).getText()).contains("ADOPT");
		assertThat(browser.find(By.className("plan")).getText()).contains("Adopt user vera on " + server,
				"takes this user over", "Use existing role");
		assertThat(browser.find(By.tagName("main")).getText()).contains("another approver must decide");
		assertThat(browser.findAll(By.id("approve"))).isEmpty();
		String requestPath = browser.path();

		// posting the approval anyway, with the page's own CSRF token, is refused
		browser.script("""
				const form = document.createElement('form');
				form.method = 'post';
				form.action = arguments[0] + '/approve';
				form.appendChild(document.querySelector('input[name=_csrf]').cloneNode());
				document.body.appendChild(form);
				form.submit();
				""", requestPath);
		assertThat(browser.waitFor(By.id("error-detail")).getText()).startsWith("Four eyes: carol submitted request");
		long id = Long.parseLong(requestPath.substring(requestPath.lastIndexOf('/') + 1));
		assertThat(this.requests.find(id).orElseThrow().status().name()).isEqualTo("PENDING_APPROVAL");
		// the error page has no navigation: end the session as a new browser would
		browser.newSession();

		browser.signIn("bob", "bob-password");
		browser.open(requestPath);
		browser.type("comment", "Adoption reviewed");
		browser.click(By.id("approve"));
		browser.waitForText(By.id("status"), "ACTIVE");
		assertThat(this.transfer.describeUser((r) -> r.serverId(server).userName("vera")).user().tags())
			.anySatisfy((tag) -> assertThat(tag.key()).isEqualTo(Target.MANAGED_TAG));
		browser.open("/users/" + server + "/vera");
		assertThat(browser.waitFor(By.tagName("h1")).getText()).contains("vera");
		browser.signOut();
	}

	@Test
	void anUnknownUserIsAnErrorOnTheFormAndNothingIsStored() {
		String server = this.aws.sftpServer();

		browser.signIn("alice", "alice-password");
		browser.open("/users/adopt");
		browser.select("serverId").selectByValue(server);
		browser.type("userName", "nobody");
		browser.type("bucket", this.aws.bucket());
		browser.type("kmsKeyArn", this.aws.rootDelegatingKey());
		browser.click(By.id("submit-adopt"));
		assertThat(browser.waitFor(By.cssSelector(".alert-danger")).getText())
			.contains("User nobody does not exist on " + server);
		assertThat(browser.find(By.id("userName")).getAttribute("value")).isEqualTo("nobody");
		browser.signOut();
	}

}
