package io.transferportal.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;
import io.transferportal.support.AwsFixtures;
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

	static final Duration WAIT = Duration.ofSeconds(90);

	static WebDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	TestClock clock;

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
	void freshSessionAndClock() {
		this.clock.reset();
		browser.manage().deleteAllCookies();
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

		signIn("carol", "carol-password");
		click(By.linkText("Access reviews"));
		waitFor(By.id("reviews-form"));
		WebElement first = browser.findElement(By.id("review-" + overdue));
		WebElement second = browser.findElement(By.id("review-" + dueSoon));
		assertThat(first.findElement(By.className("review-due")).getText()).contains("Overdue");
		assertThat(second.findElement(By.className("review-due")).getText()).contains("Due soon");
		assertThat(second.getText()).contains("yours: another approver reviews it");
		assertThat(second.findElements(By.tagName("button"))).as("no buttons for her own grant").isEmpty();
		screenshot("access-reviews");

		click(By.id("confirm-" + overdue));
		assertThat(waitFor(By.id("reviewed")).getText())
			.startsWith("Confirmed the access of " + overdue + " on " + server);
		assertThat(browser.findElements(By.id("review-" + overdue))).as("confirmed: due in 90 days").isEmpty();

		// the server refuses what the page does not offer
		select(dueSoon);
		click(By.id("confirm-selected"));
		assertThat(waitFor(By.id("refused")).getText()).contains(dueSoon + " on " + server + ": Four eyes: carol");
		signOut();

		signIn("bob", "bob-password");
		open("/reviews");
		select(dueSoon);
		click(By.id("revoke-selected"));
		assertThat(waitFor(By.cssSelector("#content > .alert-danger")).getText())
			.contains("the comment is required to revoke access");
		select(dueSoon);
		type("comment", "The project ended");
		click(By.id("revoke-selected"));
		assertThat(waitFor(By.id("reviewed")).getText())
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
		WebElement box = browser.findElement(By.id("review-" + userName)).findElement(By.name("users"));
		if (!box.isSelected()) {
			((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", box);
			box.click();
		}
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

	/** As {@link BrowserIntegrationTests}: the page's basic accessibility rules. */
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

	private static void screenshot(String name) throws Exception {
		@SuppressWarnings("unchecked")
		List<String> problems = (List<String>) ((JavascriptExecutor) browser).executeScript(ACCESSIBILITY_CHECK);
		assertThat(problems).as(browser.getCurrentUrl()).isEmpty();
		File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
		Path target = Path.of(System.getProperty("portal.screenshots", "target/screenshots"), name + ".png");
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
