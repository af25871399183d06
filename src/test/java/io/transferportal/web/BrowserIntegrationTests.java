package io.transferportal.web;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.PageRequest;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestStatus;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The portal in a real headless Chromium (Debian's chromium and chromium-driver,
 * installed by .ci/run) against moto_server: request, preview, approve, watch it run, see
 * it on the dashboard. Screenshots of the main pages go to target/screenshots (or where
 * {@code -Dportal.screenshots} says; the README shows docs/screenshots).
 */
@PortalIntegrationTest
class BrowserIntegrationTests {

	/**
	 * A ceiling for page changes on a loaded machine; they usually take well under a
	 * second.
	 */
	static final Duration WAIT = Duration.ofSeconds(90);

	static WebDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	@BeforeAll
	static void startBrowser() {
		// .ci/run installs Debian's chromium and chromium-driver; without them (a bare
		// developer machine) skip
		Assumptions.assumeTrue(
				Files.isExecutable(Path.of("/usr/bin/chromium"))
						&& Files.isExecutable(Path.of("/usr/bin/chromedriver")),
				"needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1000");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@BeforeEach
	void freshSession() {
		browser.manage().deleteAllCookies();
	}

	@Test
	void aliceRequestsBobApprovesAndTheDashboardShowsFiveChecksOk() throws Exception {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();

		signIn("alice", "alice-password");
		open("/requests/new");
		new Select(browser.findElement(By.id("serverId"))).selectByValue(server);
		type("userName", "wanda");
		type("bucket", bucket);
		type("kmsKeyArn", key);
		type("sshPublicKeys", TestKeys.ED25519_A);
		type("ticketRef", "CHG-4242");
		click(By.id("preview"));
		WebElement plan = waitFor(By.id("plan-heading"));
		assertThat(plan.getText()).startsWith("Plan");
		String planText = browser.findElement(By.className("plan")).getText();
		assertThat(planText).contains("Bucket default encryption", "IAM role", "IAM role policy", "KMS key policy",
				"Session policy", "Transfer user", "CREATE");
		assertThat(browser.findElement(By.id("fingerprints")).getText())
			.contains("ssh-ed25519 SHA256:AXGyw7i5raiw5/lrlkVw+X+Ix0Ygagdgp30jyUZ3saU alice@laptop");
		screenshot("new-request-preview");
		click(By.id("submit"));
		waitFor(By.id("status"));
		assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("PENDING_APPROVAL");
		assertThat(browser.findElements(By.id("approve"))).as("alice is no approver").isEmpty();
		String requestPath = new URI(browser.getCurrentUrl()).getPath();
		signOut();

		signIn("bob", "bob-password");
		open("/approvals");
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("wanda");
		screenshot("approvals");
		open(requestPath);
		type("comment", "Plan reviewed");
		click(By.id("approve"));
		// the status updates without a reload while the request runs (htmx polls the
		// progress fragment)
		new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("status"), "ACTIVE"));
		assertThat(browser.findElement(By.id("progress")).getText()).contains("Transfer user", "CREATED");
		// reloaded, the page of the request that made the user ACTIVE tells how to
		// connect
		open(requestPath);
		assertThat(waitFor(By.id("sftp-command")).getText())
			.isEqualTo("sftp -i <private key file> wanda@" + server + ".server.transfer.us-east-1.amazonaws.com");
		screenshot("request-detail");

		open("/dashboard");
		WebElement row = waitFor(By.xpath("//tr[td[contains(., 'wanda')]]"));
		// six checks OK
		assertThat(row.getText().split("OK", -1)).as(row.getText()).hasSizeGreaterThanOrEqualTo(7);
		screenshot("dashboard");
		browser.manage().window().setSize(new Dimension(390, 844));
		screenshot("dashboard-narrow");
		browser.manage().window().setSize(new Dimension(1280, 1000));
		// the lifecycle filter: wanda is neither expired nor suspended, and counted
		assertThat(row.findElements(By.tagName("td")).get(6).getText()).as("SSH keys").isEqualTo("1");
		type("q", "wanda");
		new Select(browser.findElement(By.id("lifecycle"))).selectByVisibleText("Expired or suspended");
		click(By.xpath("//button[normalize-space()='Search']"));
		waitFor(By.xpath("//p[normalize-space()='No managed users match.']"));
		assertThat(browser.getCurrentUrl()).contains("lifecycle=SUSPENDED");
		assertThat(new Select(browser.findElement(By.id("lifecycle"))).getFirstSelectedOption().getText())
			.isEqualTo("Expired or suspended");
		assertAccessible();
		new Select(browser.findElement(By.id("lifecycle"))).selectByVisibleText("All");
		click(By.xpath("//button[normalize-space()='Search']"));
		waitFor(By.linkText("wanda"));
		click(By.linkText("wanda"));
		assertThat(waitFor(By.tagName("h1")).getText()).contains("wanda");
		assertThat(browser.findElement(By.id("ssh-keys")).getText())
			.contains("SHA256:AXGyw7i5raiw5/lrlkVw+X+Ix0Ygagdgp30jyUZ3saU", "alice@laptop", "Active");
		assertThat(browser.findElement(By.id("sftp-command")).getText())
			.isEqualTo("sftp -i <private key file> wanda@" + server + ".server.transfer.us-east-1.amazonaws.com");
		screenshot("user-detail");
		signOut();

		signIn("admin", "admin-password");
		open("/admin/audit");
		assertThat(waitFor(By.tagName("main")).getText()).contains("AWS_CHANGE", "CHG-4242");
		screenshot("audit-log");
		open("/admin/accounts");
		assertThat(waitFor(By.tagName("main")).getText()).contains("alice", "bob");
		screenshot("admin-accounts");
		signOut();
		screenshot("login");
	}

	@Test
	void aliceCannotApproveHerOwnRequestAndAMalformedKeyShowsAFieldErrorAndCreatesNothing() throws Exception {
		String server = this.aws.sftpServer();
		long before = this.requests.search(null, null, PageRequest.of(0, 1)).getTotalElements();

		signIn("carol", "carol-password"); // requester and approver
		open("/requests/new");
		new Select(browser.findElement(By.id("serverId"))).selectByValue(server);
		type("userName", "xavier");
		type("bucket", "payments-inbox");
		type("kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
		type("sshPublicKeys", "ssh-ed25519 AAAA-this-is-not-a-key carol@laptop");
		click(By.id("submit"));
		WebElement error = waitFor(By.id("sshPublicKeys-error"));
		assertThat(error.getText()).contains("Key 1", "not a valid OpenSSH public key");
		assertThat(browser.findElement(By.id("sshPublicKeys")).getAttribute("class")).contains("is-invalid");
		screenshot("new-request-field-error");
		assertThat(this.requests.search(null, null, PageRequest.of(0, 1)).getTotalElements()).isEqualTo(before);

		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		type("bucket", bucket);
		type("kmsKeyArn", key);
		type("sshPublicKeys", TestKeys.ED25519_B);
		click(By.id("submit"));
		waitFor(By.id("status"));
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("another approver must decide");
		assertThat(browser.findElements(By.id("approve"))).isEmpty();
		signOut();
	}

	@Test
	void aHomeFolderInsideAnotherUsersIsAFieldErrorOnPreview() {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		this.requests.submitProvision(new UserSpec(server, "yara", bucket, "partners/yara", key,
				List.of(TestKeys.ED25519_A), AccessLevel.READ_WRITE, null, Map.of()), null, Actor.person("alice"));

		signIn("alice", "alice-password");
		open("/requests/new");
		new Select(browser.findElement(By.id("serverId"))).selectByValue(server);
		type("userName", "zoe");
		type("bucket", bucket);
		type("homePrefix", "partners/yara/zoe");
		type("kmsKeyArn", key);
		type("sshPublicKeys", TestKeys.ED25519_B);
		click(By.id("preview"));
		WebElement error = waitFor(By.id("homePrefix-error"));
		assertThat(error.getText()).contains("lies inside the home folder partners/yara of user yara on " + server);
		assertThat(browser.findElement(By.id("homePrefix")).getAttribute("class")).contains("is-invalid");
		assertThat(browser.findElements(By.id("plan-heading"))).isEmpty();
		signOut();
	}

	@Test
	void aRequesterChangesTheKeysOfAManagedUserAndTheChangeWaitsForApproval() {
		String server = this.aws.sftpServer();
		UserSpec spec = new UserSpec(server, "ulla", this.aws.bucket(), null, this.aws.rootDelegatingKey(),
				List.of(TestKeys.ED25519_A), AccessLevel.READ_WRITE, null, Map.of());
		long id = this.requests.submitProvision(spec, null, Actor.person("alice")).id();
		this.requests.approve(id, Actor.person("bob"), null);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);

		signIn("alice", "alice-password");
		open("/users/" + server + "/ulla");
		click(By.id("change"));
		assertThat(browser.findElement(By.id("sshPublicKeys")).getAttribute("value")).isEqualTo(TestKeys.ED25519_A);
		type("sshPublicKeys", "not a key");
		click(By.id("submit-change"));
		assertThat(waitFor(By.id("sshPublicKeys-error")).getText()).contains("Key 1");
		type("sshPublicKeys", TestKeys.ED25519_B);
		click(By.id("submit-change"));
		waitFor(By.id("status"));
		assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("PENDING_APPROVAL");
		// replacing the key is a rotation: the old key stays for the overlap
		assertThat(browser.findElement(By.className("plan")).getText()).contains("import 1 SSH key(s)")
			.doesNotContain("delete 1 SSH key(s)");
		assertThat(browser.findElement(By.id("terms-rotation")).getText()).contains("7 day(s)");
		signOut();
	}

	private void signIn(String user, String password) {
		open("/login");
		type("username", user);
		type("password", password);
		click(By.cssSelector("form button[type=submit]"));
		waitFor(By.linkText("Dashboard"));
	}

	private void signOut() {
		click(By.xpath("//button[normalize-space()='Sign out']"));
		waitFor(By.id("username"));
	}

	private static void click(By locator) {
		WebElement element = browser.findElement(locator);
		((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
		try {
			element.click();
		}
		catch (ElementClickInterceptedException ex) {
			// the layout moved under the pointer (e.g. validation messages appeared);
			// click as the browser would
			((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()", element);
		}
	}

	private void open(String path) {
		browser.get("http://127.0.0.1:" + this.port + path);
	}

	private static void type(String id, String text) {
		WebElement field = browser.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	private static WebElement waitFor(By locator) {
		return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
	}

	/**
	 * Basic accessibility rules checked in the rendered page: the document has a language
	 * and one h1, every form control has a label, every button and link has an accessible
	 * name, every table has a caption or label and column headers, and no element has an
	 * inline style or script (the CSP would block them anyway).
	 */
	private static final String ACCESSIBILITY_CHECK = """
			const problems = [];
			if (!document.documentElement.lang) problems.push('html without lang');
			if (document.querySelectorAll('h1').length !== 1) problems.push('h1 count ' + document.querySelectorAll('h1').length);
			for (const c of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
			  const labelled = (c.id && document.querySelector('label[for="' + c.id + '"]')) || c.closest('label')
			      || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby');
			  if (!labelled) problems.push('unlabelled ' + c.tagName + ' ' + (c.name || c.id));
			}
			for (const b of document.querySelectorAll('button, a[href]')) {
			  if (!(b.innerText || b.getAttribute('aria-label') || b.title).trim()) problems.push('nameless ' + b.outerHTML.slice(0, 80));
			}
			for (const t of document.querySelectorAll('table')) {
			  if (!t.querySelector('caption') && !t.getAttribute('aria-label')) problems.push('table without caption');
			  if (!t.querySelector('th')) problems.push('table without headers');
			}
			for (const e of document.querySelectorAll('[style]')) problems.push('inline style on ' + e.tagName);
			for (const e of document.querySelectorAll('script:not([src])')) problems.push('inline script');
			return problems;
			""";

	private static void assertAccessible() {
		@SuppressWarnings("unchecked")
		List<String> problems = (List<String>) ((JavascriptExecutor) browser).executeScript(ACCESSIBILITY_CHECK);
		assertThat(problems).as(browser.getCurrentUrl()).isEmpty();
	}

	private static void screenshot(String name) throws Exception {
		assertAccessible();
		File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
		// target/ by default; -Dportal.screenshots=docs/screenshots refreshes the ones
		// the README shows
		Path target = Path.of(System.getProperty("portal.screenshots", "target/screenshots"), name + ".png");
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
