package io.transferportal.web;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestStatus;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.Browser;
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

	@RegisterExtension
	static final Browser browser = new Browser();

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	/** The tones of {@code portal.css}, as the browser computes them. */
	static final String OK = "rgb(20, 108, 67)";

	static final String DRIFT = "rgb(138, 103, 3)";

	static final String INFO = "rgb(10, 88, 202)";

	static final String GREY = "rgb(73, 80, 87)";

	private static String background(By locator) {
		return (String) browser.script("return getComputedStyle(arguments[0]).backgroundColor", browser.find(locator));
	}

	/**
	 * The colour the browser painted at the start of a bar (a meter's fill is drawn in
	 * its shadow tree, out of reach of the computed style).
	 */
	private static String fill(WebElement bar) throws Exception {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(bar.getScreenshotAs(OutputType.BYTES)));
		Color color = new Color(image.getRGB(1, image.getHeight() / 2));
		return "rgb(" + color.getRed() + ", " + color.getGreen() + ", " + color.getBlue() + ")";
	}

	@Test
	void aliceRequestsBobApprovesAndTheDashboardShowsFiveChecksOk() throws Exception {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();

		browser.signIn("alice", "alice-password");
		browser.open("/requests/new");
		browser.select("serverId").selectByValue(server);
		browser.type("userName", "wanda");
		browser.type("bucket", bucket);
		browser.type("kmsKeyArn", key);
		browser.type("sshPublicKeys", TestKeys.ED25519_A);
		browser.type("ticketRef", "CHG-4242");
		browser.click(By.id("preview"));
		WebElement plan = browser.waitFor(By.id("plan-heading"));
		assertThat(plan.getText()).startsWith("Plan");
		String planText = browser.find(By.className("plan")).getText();
		assertThat(planText).contains("Bucket default encryption", "IAM role", "IAM role policy", "KMS key policy",
				"Session policy", "Transfer user", "CREATE");
		assertThat(browser.find(By.id("fingerprints")).getText())
			.contains("ssh-ed25519 SHA256:AXGyw7i5raiw5/lrlkVw+X+Ix0Ygagdgp30jyUZ3saU alice@laptop");
		browser.screenshot("new-request-preview");
		browser.click(By.id("submit"));
		browser.waitFor(By.id("status"));
		assertThat(browser.find(By.id("status")).getText()).isEqualTo("PENDING_APPROVAL");
		assertThat(background(By.id("status"))).as("waiting: blue").isEqualTo(INFO);
		assertThat(browser.findAll(By.id("approve"))).as("alice is no approver").isEmpty();
		String requestPath = browser.path();
		browser.signOut();

		browser.signIn("bob", "bob-password");
		browser.open("/approvals");
		assertThat(browser.find(By.tagName("main")).getText()).contains("wanda");
		browser.screenshot("approvals");
		browser.open(requestPath);
		browser.type("comment", "Plan reviewed");
		browser.click(By.id("approve"));
		// the status updates without a reload while the request runs (htmx polls the
		// progress fragment)
		browser.waitForText(By.id("status"), "ACTIVE");
		assertThat(background(By.id("status"))).as("active: green").isEqualTo(OK);
		assertThat(browser.find(By.id("progress")).getText()).contains("Transfer user", "CREATED");
		// reloaded, the page of the request that made the user ACTIVE tells how to
		// connect
		browser.open(requestPath);
		assertThat(browser.waitFor(By.id("sftp-command")).getText())
			.isEqualTo("sftp -i <private key file> wanda@" + server + ".server.transfer.us-east-1.amazonaws.com");
		browser.screenshot("request-detail");

		browser.open("/dashboard");
		WebElement row = browser.waitFor(By.xpath("//tr[td[contains(., 'wanda')]]"));
		// six checks OK
		assertThat(row.getText().split("OK", -1)).as(row.getText()).hasSizeGreaterThanOrEqualTo(7);
		browser.screenshot("dashboard");
		// the bars in the colours of their health, and the health as text beside them
		assertThat(background(By.cssSelector("#bar-OK .badge"))).isEqualTo(OK);
		assertThat(background(By.cssSelector("#bar-DRIFT .badge"))).isEqualTo(DRIFT);
		assertThat(fill(browser.find(By.cssSelector("meter.meter-badge-ok")))).as("the OK bar's fill").isEqualTo(OK);
		browser.resize(390, 844);
		browser.screenshot("dashboard-narrow");
		browser.resize(1280, 1000);
		// the lifecycle filter: wanda is neither expired nor suspended, and counted
		assertThat(row.findElement(By.cssSelector("td[data-label='SSH keys']")).getText()).as("SSH keys")
			.isEqualTo("1");
		browser.type("q", "wanda");
		browser.select("lifecycle").selectByVisibleText("Expired or suspended");
		browser.click(By.xpath("//button[normalize-space()='Search']"));
		browser.waitFor(By.xpath("//p[normalize-space()='No managed users match.']"));
		assertThat(browser.driver().getCurrentUrl()).contains("lifecycle=SUSPENDED");
		assertThat(browser.select("lifecycle").getFirstSelectedOption().getText()).isEqualTo("Expired or suspended");
		browser.assertAccessible();
		browser.select("lifecycle").selectByVisibleText("All");
		browser.click(By.xpath("//button[normalize-space()='Search']"));
		browser.waitFor(By.linkText("wanda"));
		browser.click(By.linkText("wanda"));
		assertThat(browser.waitFor(By.tagName("h1")).getText()).contains("wanda");
		assertThat(browser.find(By.id("ssh-keys")).getText())
			.contains("SHA256:AXGyw7i5raiw5/lrlkVw+X+Ix0Ygagdgp30jyUZ3saU", "alice@laptop", "Active");
		assertThat(browser.find(By.id("sftp-command")).getText())
			.isEqualTo("sftp -i <private key file> wanda@" + server + ".server.transfer.us-east-1.amazonaws.com");
		browser.screenshot("user-detail");
		browser.signOut();

		browser.signIn("admin", "admin-password");
		browser.open("/admin/audit");
		assertThat(browser.waitFor(By.tagName("main")).getText()).contains("AWS_CHANGE", "CHG-4242");
		browser.screenshot("audit-log");
		browser.open("/admin/accounts");
		assertThat(browser.waitFor(By.tagName("main")).getText()).contains("alice", "bob");
		browser.screenshot("admin-accounts");
		browser.signOut();
		browser.screenshot("login");
	}

	/**
	 * A request page opened before approval follows the request: the status, the steps
	 * and the actions change without a reload by the person looking at it.
	 */
	@Test
	void aRequestPageOpenBeforeApprovalFollowsItsRequestToActive() {
		UserSpec spec = AwsFixtures.spec(this.aws.sftpServer(), AwsFixtures.unique("live"), this.aws.bucket(),
				this.aws.rootDelegatingKey(), TestKeys.ED25519_A);
		long id = this.requests.submitProvision(spec, "CHG-LIVE", Actor.person("alice")).id();
		browser.signIn("alice", "alice-password");
		browser.open("/requests/" + id);
		assertThat(browser.find(By.id("status")).getText()).isEqualTo("PENDING_APPROVAL");
		assertThat(browser.findAll(By.id("cancel"))).isNotEmpty();

		// approved elsewhere (another approver's browser)
		this.requests.approve(id, Actor.person("bob"), "looks right");
		browser.waitForText(By.id("status"), "ACTIVE");
		assertThat(browser.path()).as("the same page, never reloaded by alice").isEqualTo("/requests/" + id);
		assertThat(browser.findAll(By.id("cancel"))).as("nothing to cancel any more").isEmpty();
		assertThat(browser.find(By.id("progress")).getText()).contains("Transfer user", "CREATED");
		browser.signOut();
	}

	/**
	 * A request that comes back for approval while its page is open shows, without a
	 * reload, why: the live state then and now, and the approved change against the new.
	 */
	@Test
	void aRequestBackForApprovalShowsWhatChangedInAwsAndHowThePlanChanged() throws Exception {
		String key = this.aws.rootDelegatingKey();
		String bucket = this.aws.bucketEncryptedWith(key);
		UserSpec spec = AwsFixtures.spec(this.aws.sftpServer(), AwsFixtures.unique("again"), bucket, key,
				TestKeys.ED25519_A);
		long id = this.requests.submitProvision(spec, "CHG-AGAIN", Actor.person("alice")).id();
		browser.signIn("carol", "carol-password");
		try {
			browser.open("/requests/" + id);
			assertThat(browser.text(By.id("summary-home"))).isEqualTo(bucket + "/" + spec.userName());
			assertThat(browser.text(By.id("summary-keys"))).startsWith("ssh-ed25519 SHA256:");
			assertThat(browser.findAll(By.id("reapproval"))).isEmpty();
			assertThat((Boolean) browser.script("return document.getElementById('approve').compareDocumentPosition("
					+ "document.getElementById('plan-heading')) === Node.DOCUMENT_POSITION_PRECEDING"))
				.as("the decision comes after the plan")
				.isTrue();

			// someone changes the bucket's encryption, then another approver approves
			this.aws.encryptBucket(bucket, ServerSideEncryption.AES256, null);
			this.requests.approve(id, Actor.person("bob"), null);

			browser.waitForText(By.id("status"), "NEEDS_REAPPROVAL");
			assertThat(browser.path()).isEqualTo("/requests/" + id);
			WebElement reapproval = browser.find(By.id("reapproval"));
			assertThat(reapproval.getText()).contains("Bucket default encryption", "Approved:", "NONE", "Now:",
					"UPDATE");
			assertThat(browser.findAll(By.cssSelector("#reapproval .live-diff .del"))).extracting(WebElement::getText)
				.anySatisfy((line) -> assertThat(line).contains("aws:kms"));
			assertThat(browser.findAll(By.cssSelector("#reapproval .live-diff .add"))).extracting(WebElement::getText)
				.anySatisfy((line) -> assertThat(line).contains("AES256"));
			assertThat(browser.find(By.id("approve")).isDisplayed()).as("carol can approve the new plan").isTrue();
			browser.assertAccessible();
			browser.screenshot("request-needs-reapproval");
		}
		finally {
			browser.signOut();
		}
	}

	/**
	 * A session that expired while a form was open: sending the form leads to the sign-in
	 * page saying so, and after signing in back to the form with what was typed; a page
	 * opened with an expired session likewise comes back after sign-in, and no URL
	 * carries the session id or Spring Security's marker.
	 */
	@Test
	void afterTheSessionExpiredSigningInAgainLeadsBackToTheFormWithWhatWasTyped() {
		browser.signIn("alice", "alice-password");
		try {
			browser.open("/requests/new");
			String userName = AwsFixtures.unique("kept");
			browser.type("userName", userName);
			browser.type("bucket", "kept-bucket");
			browser.type("sshPublicKeys", TestKeys.ED25519_A);
			expireSession();

			browser.click(By.id("preview"));
			browser.waitFor(By.id("username"));
			assertThat(browser.driver().getCurrentUrl()).endsWith("/login?expired")
				.doesNotContainIgnoringCase("jsessionid");
			assertThat(browser.text(By.id("login-message"))).startsWith("Your session expired.");
			browser.assertAccessible();
			browser.type("username", "alice");
			browser.type("password", "alice-password");
			browser.click(By.cssSelector("form button[type=submit]"));

			browser.waitFor(By.id("draft-restored"));
			assertThat(browser.driver().getCurrentUrl()).endsWith("/requests/new");
			assertThat(browser.find(By.id("userName")).getDomProperty("value")).isEqualTo(userName);
			assertThat(browser.find(By.id("bucket")).getDomProperty("value")).isEqualTo("kept-bucket");
			assertThat(browser.find(By.id("sshPublicKeys")).getDomProperty("value")).isEqualTo(TestKeys.ED25519_A);

			browser.open("/dashboard");
			assertThat(browser.findAll(By.id("draft-restored")).get(0).isDisplayed()).as("used once").isFalse();
			browser.open("/requests/new");
			assertThat(browser.find(By.id("userName")).getDomProperty("value")).as("and then forgotten").isEmpty();

			expireSession();
			browser.open("/approvals?x=1");
			browser.waitFor(By.id("username"));
			assertThat(browser.driver().getCurrentUrl()).endsWith("/login?expired");
			browser.type("username", "bob");
			browser.type("password", "bob-password");
			browser.click(By.cssSelector("form button[type=submit]"));
			browser.waitFor(By.xpath("//h1[normalize-space()='Waiting for approval']"));
			assertThat(browser.driver().getCurrentUrl()).as("no ?continue").endsWith("/approvals?x=1");
		}
		finally {
			browser.signOut();
		}
		assertThat(browser.driver().getCurrentUrl()).endsWith("/login?logout");
		assertThat(browser.text(By.id("login-message"))).isEqualTo("You have signed out.");
		browser.type("username", "alice");
		browser.type("password", "alice-password");
		browser.click(By.cssSelector("form button[type=submit]"));
		browser.waitFor(By.linkText("Dashboard"));
		assertThat(browser.driver().getCurrentUrl()).as("signed in again after signing out").doesNotContain("continue");
		browser.signOut();
	}

	/**
	 * As the server sees an expired session: the browser's cookie names one it does not
	 * know.
	 */
	private static void expireSession() {
		browser.driver().manage().deleteCookieNamed("JSESSIONID");
		browser.driver().manage().addCookie(new Cookie("JSESSIONID", "0123456789ABCDEF0123456789ABCDEF"));
	}

	/**
	 * Every page the portal has, as an administrator sees it, wide and at 390 px: no WCAG
	 * 2.1 A or AA violation axe-core finds, and nothing that scrolls sideways.
	 */
	@Test
	void everyPageHasNoAccessibilityViolationAndNoSidewaysScrollingAtEitherWidth() throws Exception {
		UserSpec spec = AwsFixtures.spec(this.aws.sftpServer(), AwsFixtures.unique("every"), this.aws.bucket(),
				this.aws.rootDelegatingKey(), TestKeys.ED25519_A);
		long id = this.requests.submitProvision(spec, "CHG-EVERY", Actor.person("alice")).id();
		this.requests.approve(id, Actor.person("bob"), null);
		await().atMost(Browser.WAIT).until(() -> this.requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);
		long pending = this.requests
			.submitProvision(AwsFixtures.spec(spec.serverId(), AwsFixtures.unique("waiting"), spec.bucket(),
					spec.kmsKeyArn(), TestKeys.ED25519_B), "CHG-EVERY", Actor.person("alice"))
			.id();
		String user = "/users/" + spec.serverId() + "/" + spec.userName();
		// every page, by the name its screenshots take
		// (docs/screenshots/pages/NAME-WIDTH.png)
		Map<String, String> pages = new LinkedHashMap<>();
		pages.put("home", "/");
		pages.put("dashboard", "/dashboard");
		pages.put("dashboard-deprovisioned", "/dashboard?show=deprovisioned");
		pages.put("requests", "/requests");
		pages.put("requests-filtered", "/requests?status=ACTIVE&sort=user&dir=asc");
		pages.put("new-request", "/requests/new");
		pages.put("request-active", "/requests/" + id);
		pages.put("request-pending", "/requests/" + pending);
		pages.put("batches", "/requests/batches");
		pages.put("new-batch", "/requests/batches/new");
		pages.put("access-reviews", "/reviews");
		pages.put("user", user);
		pages.put("user-change", user + "/change");
		pages.put("user-deprovision", user + "/deprovision");
		pages.put("adopt", "/users/adopt");
		pages.put("admin-accounts", "/admin/accounts");
		pages.put("admin-api-clients", "/admin/api-clients");
		pages.put("audit-log", "/admin/audit");
		pages.put("audit-log-request", "/admin/audit?requestId=" + id);
		pages.put("not-found", "/no-such-page");
		visitEveryPage("admin", pages, Map.of("requests", "requests-narrow", "request-active", "request-detail-narrow",
				"user", "user-detail-narrow", "audit-log-request", "audit-log-narrow"));
		// an approver's pages: the queue, and a request with its decision forms
		Map<String, String> approver = new LinkedHashMap<>();
		approver.put("approvals", "/approvals");
		approver.put("request-decision", "/requests/" + pending);
		visitEveryPage("carol", approver, Map.of("request-decision", "request-decision-narrow"));
		browser.assertAccessible(); // the sign-in page after signing out
	}

	/**
	 * Signs in and checks each page at both widths, saving a screenshot of each
	 * ({@code pages/NAME-WIDTH}); {@code narrowShots} names the pages whose 390-px view
	 * the README shows too.
	 */
	private static void visitEveryPage(String account, Map<String, String> pages, Map<String, String> narrowShots)
			throws Exception {
		browser.signIn(account, account + "-password");
		browser.consoleErrors(); // what earlier pages left
		try {
			for (int width : new int[] { 1366, 390 }) {
				browser.resize(width, 900);
				for (Map.Entry<String, String> named : pages.entrySet()) {
					String page = named.getValue();
					browser.open(page);
					browser.waitFor(By.tagName("h1"));
					browser.assertAccessible();
					assertThat(browser.sidewaysOverflow()).as("sideways scrolling on " + page + " at " + width + " px")
						.isEmpty();
					assertThat(browser.consoleErrors())
						.as("console errors (Content-Security-Policy refusals, failed scripts) on " + page)
						// the missing page's own 404 is what it shows
						.allMatch((error) -> page.equals("/no-such-page") && error.contains("404"));
					browser.screenshot("pages/" + named.getKey() + "-" + width);
					if (width == 390 && narrowShots.containsKey(named.getKey())) {
						browser.screenshot(narrowShots.get(named.getKey()));
					}
				}
			}
		}
		finally {
			browser.resize(1280, 1000);
			browser.signOut();
		}
	}

	/**
	 * The REST API's Swagger UI is titled as the portal's, and runs under the portal's
	 * Content-Security-Policy without a refusal in the console.
	 */
	@Test
	void theApisSwaggerUiIsTitledAndBreaksNoContentSecurityPolicy() {
		browser.consoleErrors(); // what earlier pages left
		browser.open("/swagger-ui/index.html");
		browser.waitFor(By.cssSelector(".information-container .title"));
		await().atMost(Browser.WAIT).until(() -> browser.driver().getTitle().equals("Transfer Portal API"));
		assertThat(browser.text(By.cssSelector(".information-container .title"))).startsWith("Transfer Portal");
		assertThat(browser.consoleErrors()).as("console errors, Content-Security-Policy refusals among them").isEmpty();
	}

	/**
	 * A pasted private key is refused with one message, and neither the key nor a line of
	 * it comes back in the page.
	 */
	@Test
	void aPastedPrivateKeyIsRefusedOnceAndNeverShownAgain() throws Exception {
		String privateKey = RequestControllerTests.privateKey();
		browser.signIn("alice", "alice-password");
		try {
			browser.open("/requests/new");
			browser.type("userName", AwsFixtures.unique("secret"));
			browser.find(By.id("sshPublicKeys")).sendKeys(privateKey);
			browser.click(By.id("preview"));
			browser.waitFor(By.id("sshPublicKeys-error"));
			assertThat(browser.findAll(By.cssSelector("#sshPublicKeys-error p"))).as("one message").hasSize(1);
			assertThat(browser.text(By.id("sshPublicKeys-error"))).contains("private key");
			assertThat(browser.find(By.id("sshPublicKeys")).getDomProperty("value")).isEmpty();
			String body = privateKey.lines().skip(3).findFirst().orElseThrow();
			assertThat(browser.driver().getPageSource()).doesNotContain(body).doesNotContain("PRIVATE KEY-----");
			browser.assertAccessible();
		}
		finally {
			browser.signOut();
		}
	}

	/**
	 * Each request status in the colour of its meaning, with its name as text: green for
	 * active, blue while waiting, amber for back for approval, grey for finished without
	 * effect.
	 */
	@Test
	void theRequestsListShowsEachStatusInItsColour() {
		String ticket = AwsFixtures.unique("CHG-TONES-");
		String key = this.aws.rootDelegatingKey();
		String bucket = this.aws.bucketEncryptedWith(key);
		String server = this.aws.sftpServer();
		Function<String, Long> submit = (name) -> this.requests
			.submitProvision(AwsFixtures.spec(server, AwsFixtures.unique(name), bucket, key, TestKeys.ED25519_A),
					ticket, Actor.person("alice"))
			.id();
		long active = submit.apply("green");
		this.requests.approve(active, Actor.person("bob"), null);
		long pending = submit.apply("blue");
		long rejected = submit.apply("grey");
		this.requests.reject(rejected, Actor.person("bob"), "not this one");
		long cancelled = submit.apply("gone");
		this.requests.cancel(cancelled, Actor.person("alice"));
		await().atMost(Browser.WAIT)
			.until(() -> this.requests.find(active).orElseThrow().status() == RequestStatus.ACTIVE);
		// on a bucket of its own: a run may verify against another run's read of a bucket
		// from the last seconds (ProvisioningEngine's shared reads)
		String other = this.aws.bucketEncryptedWith(key);
		long again = this.requests
			.submitProvision(AwsFixtures.spec(server, AwsFixtures.unique("amber"), other, key, TestKeys.ED25519_A),
					ticket, Actor.person("alice"))
			.id();
		this.aws.encryptBucket(other, ServerSideEncryption.AES256, null);
		this.requests.approve(again, Actor.person("bob"), null);
		await().atMost(Browser.WAIT)
			.until(() -> this.requests.find(again).orElseThrow().status() == RequestStatus.NEEDS_REAPPROVAL);

		browser.signIn("bob", "bob-password");
		try {
			browser.open("/requests?ticketRef=" + ticket);
			Map<Long, String> expected = Map.of(active, OK, pending, INFO, again, DRIFT, rejected, GREY, cancelled,
					GREY);
			for (Map.Entry<Long, String> row : expected.entrySet()) {
				By badge = By
					.xpath("//tr[td/a[normalize-space()='" + row.getKey() + "']]//span[contains(@class,'badge')]");
				assertThat(background(badge)).as("request " + row.getKey() + ": " + browser.text(badge))
					.isEqualTo(row.getValue());
			}
			assertThat(browser
				.text(By.xpath("//tr[td/a[normalize-space()='" + again + "']]//span[contains(@class,'badge')]")))
				.isEqualTo("NEEDS_REAPPROVAL");
			browser.assertAccessible();
		}
		finally {
			browser.signOut();
		}
	}

	/**
	 * Error pages keep the portal's menu and say the status, the time and, for a refused
	 * page, the role it needs.
	 */
	@Test
	void errorPagesSayWhatHappenedWhenAndWhichRoleAPageNeeds() {
		browser.signIn("bob", "bob-password");
		try {
			browser.open("/admin/accounts");
			assertThat(browser.waitFor(By.tagName("h1")).getText()).isEqualTo("You may not open this page");
			assertThat(browser.text(By.id("error-status")))
				.matches("403 Forbidden at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\S+");
			assertThat(browser.find(By.cssSelector("#error-status time")).getAttribute("title")).endsWith("Z");
			assertThat(browser.text(By.id("error-role"))).contains("needs the ADMIN role", "you have APPROVER");
			assertThat(browser.findAll(By.cssSelector("#main-menu a[href='/dashboard']"))).as("the menu").isNotEmpty();
			browser.assertAccessible();

			browser.open("/no-such-page");
			assertThat(browser.waitFor(By.tagName("h1")).getText()).isEqualTo("Page not found");
			assertThat(browser.text(By.id("error-status"))).startsWith("404 Not Found at ");
			assertThat(browser.driver().getTitle()).startsWith("404 Not Found");
		}
		finally {
			browser.signOut();
		}
	}

	static final By APPROVALS_LINK = By.cssSelector("#main-menu a[href='/approvals']");

	/** At 390 px the menu folds away behind a button, and no page scrolls sideways. */
	@Test
	void onANarrowScreenTheMenuFoldsAwayAndPagesDoNotScrollSideways() {
		browser.signIn("bob", "bob-password");
		browser.resize(390, 844);
		try {
			for (String path : List.of("/dashboard", "/requests", "/approvals", "/reviews")) {
				browser.open(path);
				assertThat(browser.find(By.id("menu-toggle")).isDisplayed()).as(path).isTrue();
				assertThat(browser.find(APPROVALS_LINK).isDisplayed()).as("folded on " + path).isFalse();
				assertThat(browser
					.script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
					.as("no sideways scrolling on " + path)
					.isEqualTo(true);
			}
			browser.click(By.id("menu-toggle"));
			await().atMost(Browser.WAIT).until(() -> browser.find(APPROVALS_LINK).isDisplayed());
			browser.click(APPROVALS_LINK);
			browser.waitFor(By.xpath("//h1[normalize-space()='Waiting for approval']"));
		}
		finally {
			browser.resize(1280, 1000);
			browser.signOut();
		}
	}

	@Test
	void aliceCannotApproveHerOwnRequestAndAMalformedKeyShowsAFieldErrorAndCreatesNothing() throws Exception {
		String server = this.aws.sftpServer();
		long before = this.requests.search(null, null, PageRequest.of(0, 1)).getTotalElements();

		browser.signIn("carol", "carol-password"); // requester and approver
		browser.open("/requests/new");
		browser.select("serverId").selectByValue(server);
		browser.type("userName", "xavier");
		browser.type("bucket", "payments-inbox");
		browser.type("kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
		browser.type("sshPublicKeys", "ssh-ed25519 AAAA-this-is-not-a-key carol@laptop");
		browser.click(By.id("submit"));
		WebElement error = browser.waitFor(By.id("sshPublicKeys-error"));
		assertThat(error.getText()).contains("Key 1", "not a valid OpenSSH public key");
		assertThat(browser.find(By.id("sshPublicKeys")).getAttribute("class")).contains("is-invalid");
		browser.screenshot("new-request-field-error");
		assertThat(this.requests.search(null, null, PageRequest.of(0, 1)).getTotalElements()).isEqualTo(before);

		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		browser.type("bucket", bucket);
		browser.type("kmsKeyArn", key);
		browser.type("sshPublicKeys", TestKeys.ED25519_B);
		browser.click(By.id("submit"));
		browser.waitFor(By.id("status"));
		assertThat(browser.find(By.tagName("main")).getText()).contains("another approver must decide");
		assertThat(browser.findAll(By.id("approve"))).isEmpty();
		browser.signOut();
	}

	@Test
	void aHomeFolderInsideAnotherUsersIsAFieldErrorOnPreview() {
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		this.requests.submitProvision(new UserSpec(server, "yara", bucket, "partners/yara", key,
				List.of(TestKeys.ED25519_A), AccessLevel.READ_WRITE, null, Map.of()), null, Actor.person("alice"));

		browser.signIn("alice", "alice-password");
		browser.open("/requests/new");
		browser.select("serverId").selectByValue(server);
		browser.type("userName", "zoe");
		browser.type("bucket", bucket);
		browser.type("homePrefix", "partners/yara/zoe");
		browser.type("kmsKeyArn", key);
		browser.type("sshPublicKeys", TestKeys.ED25519_B);
		browser.click(By.id("preview"));
		WebElement error = browser.waitFor(By.id("homePrefix-error"));
		assertThat(error.getText()).contains("lies inside the home folder partners/yara of user yara on " + server);
		assertThat(browser.find(By.id("homePrefix")).getAttribute("class")).contains("is-invalid");
		assertThat(browser.findAll(By.id("plan-heading"))).isEmpty();
		browser.signOut();
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

		browser.signIn("alice", "alice-password");
		browser.open("/users/" + server + "/ulla");
		browser.click(By.id("change"));
		assertThat(browser.find(By.id("sshPublicKeys")).getAttribute("value")).isEqualTo(TestKeys.ED25519_A);
		browser.type("sshPublicKeys", "not a key");
		browser.click(By.id("submit-change"));
		assertThat(browser.waitFor(By.id("sshPublicKeys-error")).getText()).contains("Key 1");
		browser.type("sshPublicKeys", TestKeys.ED25519_B);
		browser.click(By.id("submit-change"));
		browser.waitFor(By.id("status"));
		assertThat(browser.find(By.id("status")).getText()).isEqualTo("PENDING_APPROVAL");
		// replacing the key is a rotation: the old key stays for the overlap
		assertThat(browser.find(By.className("plan")).getText()).contains("import 1 SSH key(s)")
			.doesNotContain("delete 1 SSH key(s)");
		assertThat(browser.find(By.id("terms-rotation")).getText()).contains("7 day(s)");
		browser.signOut();
	}

}
