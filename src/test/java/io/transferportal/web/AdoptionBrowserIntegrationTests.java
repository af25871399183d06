package io.transferportal.web;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
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
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;

import io.transferportal.provisioning.core.Target;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.support.AwsFixtures;
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

	static final Duration WAIT = Duration.ofSeconds(90);

	static WebDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	AwsFixtures aws;

	@Autowired
	TransferClient transfer;

	@Autowired
	AccessRequestManagement requests;

	@BeforeAll
	static void startBrowser() {
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

		signIn("carol", "carol-password"); // requester and approver
		click(By.linkText("Adopt a user"));
		assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Adopt an existing user");
		new Select(browser.findElement(By.id("serverId"))).selectByValue(server);
		type("userName", "vera");
		type("bucket", "Not_A_Bucket");
		type("kmsKeyArn", key);
		type("ticketRef", "CHG-7070");
		click(By.id("submit-adopt"));
		assertThat(waitFor(By.id("bucket-error")).getText()).contains("may contain only lower-case letters");
		assertThat(browser.findElement(By.id("bucket")).getAttribute("class")).contains("is-invalid");
		assertThat(browser.findElement(By.id("userName")).getAttribute("value")).isEqualTo("vera");

		type("bucket", bucket);
		click(By.id("submit-adopt"));
		waitFor(By.id("status"));
		assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("PENDING_APPROVAL");
		assertThat(browser.findElement(By.tagName("h1")).getText()).contains("ADOPT");
		assertThat(browser.findElement(By.className("plan")).getText()).contains("Adopt user vera on " + server,
				"takes this user over", "Use existing role");
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("another approver must decide");
		assertThat(browser.findElements(By.id("approve"))).isEmpty();
		String requestPath = new URI(browser.getCurrentUrl()).getPath();

		// posting the approval anyway, with the page's own CSRF token, is refused
		((JavascriptExecutor) browser).executeScript("""
				const form = document.createElement('form');
				form.method = 'post';
				form.action = arguments[0] + '/approve';
				form.appendChild(document.querySelector('input[name=_csrf]').cloneNode());
				document.body.appendChild(form);
				form.submit();
				""", requestPath);
		assertThat(waitFor(By.id("error-detail")).getText()).startsWith("Four eyes: carol submitted request");
		long id = Long.parseLong(requestPath.substring(requestPath.lastIndexOf('/') + 1));
		assertThat(this.requests.find(id).orElseThrow().status().name()).isEqualTo("PENDING_APPROVAL");
		// the error page has no navigation: end the session as a new browser would
		browser.manage().deleteAllCookies();

		signIn("bob", "bob-password");
		open(requestPath);
		type("comment", "Adoption reviewed");
		click(By.id("approve"));
		new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("status"), "ACTIVE"));
		assertThat(this.transfer.describeUser((r) -> r.serverId(server).userName("vera")).user().tags())
			.anySatisfy((tag) -> assertThat(tag.key()).isEqualTo(Target.MANAGED_TAG));
		open("/users/" + server + "/vera");
		assertThat(waitFor(By.tagName("h1")).getText()).contains("vera");
		signOut();
	}

	@Test
	void anUnknownUserIsAnErrorOnTheFormAndNothingIsStored() {
		String server = this.aws.sftpServer();

		signIn("alice", "alice-password");
		open("/users/adopt");
		new Select(browser.findElement(By.id("serverId"))).selectByValue(server);
		type("userName", "nobody");
		type("bucket", this.aws.bucket());
		type("kmsKeyArn", this.aws.rootDelegatingKey());
		click(By.id("submit-adopt"));
		assertThat(waitFor(By.cssSelector(".alert-danger")).getText())
			.contains("User nobody does not exist on " + server);
		assertThat(browser.findElement(By.id("userName")).getAttribute("value")).isEqualTo("nobody");
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
			((JavascriptExecutor) browser).executeScript("arguments[0].click()", element);
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

}
