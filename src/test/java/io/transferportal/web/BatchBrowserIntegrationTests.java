package io.transferportal.web;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

import io.transferportal.support.AwsFixtures;
import io.transferportal.support.Browser;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk request in headless Chromium: a CSV with an error is refused with the row's
 * error, the corrected file of three users is submitted, another person approves the
 * batch on its review page and follows all three to ACTIVE without reloading.
 */
@PortalIntegrationTest
class BatchBrowserIntegrationTests {

	@RegisterExtension
	static final Browser browser = new Browser();

	@Autowired
	AwsFixtures aws;

	@TempDir
	Path files;

	@Test
	void aliceUploadsThreeUsersBobApprovesTheBatchAndAllBecomeActive() throws Exception {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		String suffix = AwsFixtures.unique("");
		String header = "serverId,userName,bucket,homePrefix,kmsKeyArn,sshPublicKeys,accessLevel,roleArn,expiresAt,tags\n";
		String rows = row(server, "anna" + suffix, bucket, key, "READ_WRITE", "team=a;cost-center=1")
				+ row(server, "bert" + suffix, bucket, key, "READ_ONLY", "")
				+ row(server, "cleo" + suffix, bucket, key, "", "team=c");

		browser.signIn("alice", "alice-password");
		browser.open("/requests/batches/new");
		assertThat(browser.find(By.id("template")).getAttribute("href")).endsWith("/requests/batches/template.csv");
		Path bad = this.files.resolve("bad.csv");
		Files.writeString(bad, header + rows + row(server, "x", bucket, key, "SOMETIMES", "nokey"));
		browser.type("ticketRef", "BULK-" + suffix);
		browser.find(By.id("file")).sendKeys(bad.toString());
		browser.click(By.id("submit-batch"));
		String errors = browser.waitFor(By.id("row-errors")).getText();
		assertThat(errors).contains("4 userName", "4 accessLevel must be READ_WRITE or READ_ONLY", "4 tags");
		assertThat(errors).doesNotContain("anna" + suffix);
		browser.assertAccessible();

		Path good = this.files.resolve("good.csv");
		Files.writeString(good, header + rows);
		browser.find(By.id("file")).sendKeys(good.toString());
		browser.click(By.id("submit-batch"));
		browser.waitFor(By.id("shared-changes"));
		assertThat(browser.path()).startsWith("/requests/batches/");
		String batchPath = browser.path();
		assertThat(browser.text(By.id("shared-changes"))).contains("Bucket default encryption", "KMS key policy");
		assertThat(browser.text(By.id("user-1"))).contains("anna" + suffix);
		assertThat(browser.text(By.tagName("main"))).contains("Transfer user", "Session policy");
		assertThat(browser.findAll(By.id("approve"))).as("alice is no approver").isEmpty();
		browser.signOut();

		browser.signIn("bob", "bob-password");
		browser.open(batchPath);
		browser.assertAccessible();
		browser.type("comment", "Three partners, plan reviewed");
		browser.click(By.id("approve"));
		// htmx polls the progress fragment until every item has finished
		browser.waitForText(By.id("count-ACTIVE"), "ACTIVE: 3");
		assertThat(browser.findAll(By.className("item-status")))
			.allSatisfy((cell) -> assertThat(cell.getText()).isEqualTo("ACTIVE"));
	}

	private static String row(String server, String user, String bucket, String key, String level, String tags) {
		return String.join(",", server, user, bucket, "", key, "\"" + TestKeys.newEcdsaKey(user) + "\"", level, "", "",
				tags) + "\n";
	}

}
