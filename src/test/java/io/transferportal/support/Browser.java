package io.transferportal.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A headless Chromium on the portal (Debian's chromium and chromium-driver, installed by
 * .ci/run), with the few steps the browser tests take: sign in and out, open, type,
 * click, wait, check a page's accessibility and take a screenshot. One per test class, as
 * an extension in a static field ({@code @RegisterExtension static final Browser browser
 * = new Browser();}): it starts before the class's tests and quits after them.
 */
public final class Browser implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

	/**
	 * A ceiling for page changes on a loaded machine; they usually take well under a
	 * second.
	 */
	public static final Duration WAIT = Duration.ofSeconds(90);

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
			  // innerText of a hidden element is its raw text, whitespace included: trimmed first
			  if (!((b.innerText || '').trim() || (b.getAttribute('aria-label') || '').trim() || (b.title || '').trim())) problems.push('nameless ' + b.outerHTML.slice(0, 80));
			}
			for (const t of document.querySelectorAll('table')) {
			  if (!t.querySelector('caption') && !t.getAttribute('aria-label')) problems.push('table without caption');
			  if (!t.querySelector('th')) problems.push('table without headers');
			}
			for (const e of document.querySelectorAll('[style]')) problems.push('inline style on ' + e.tagName);
			for (const e of document.querySelectorAll('script:not([src])')) problems.push('inline script');
			return problems;
			""";

	private ChromeDriver driver;

	private int port;

	/** Starts Chromium for the test class, or skips it on a machine without Chromium. */
	@Override
	public void beforeAll(ExtensionContext context) {
		Assumptions.assumeTrue(
				Files.isExecutable(Path.of("/usr/bin/chromium"))
						&& Files.isExecutable(Path.of("/usr/bin/chromedriver")),
				"needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
		Assumptions.assumeTrue(Files.isReadable(AXE), "needs axe-core in " + AXE + " (npm ci)");
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1000");
		// the console, to find what the Content-Security-Policy refused
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	/**
	 * Each test starts without a session, on the port of the portal its Spring context
	 * runs.
	 */
	@Override
	public void beforeEach(ExtensionContext context) {
		this.port = SpringExtension.getApplicationContext(context)
			.getEnvironment()
			.getRequiredProperty("local.server.port", Integer.class);
		newSession();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.driver != null) {
			this.driver.quit();
			this.driver = null;
		}
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	/** Forgets the session, as a new browser would. */
	public void newSession() {
		this.driver.manage().deleteAllCookies();
	}

	public void signIn(String user, String password) {
		open("/login");
		type("username", user);
		type("password", password);
		click(By.cssSelector("form button[type=submit]"));
		waitFor(By.linkText("Dashboard"));
	}

	public void signOut() {
		click(By.xpath("//button[normalize-space()='Sign out']"));
		waitFor(By.id("username"));
	}

	public void open(String path) {
		this.driver.get("http://127.0.0.1:" + this.port + path);
	}

	/** The path of the page shown, e.g. {@code /requests/7}. */
	public String path() {
		return URI.create(this.driver.getCurrentUrl()).getPath();
	}

	public void type(String id, String text) {
		WebElement field = find(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	/** Sets a field's value as a picker would (date inputs take no typed ISO dates). */
	public void set(String id, String value) {
		script("arguments[0].value = arguments[1]", find(By.id(id)), value);
	}

	/** The drop-down with this id. */
	public Select select(String id) {
		return new Select(find(By.id(id)));
	}

	public void click(By locator) {
		click(find(locator));
	}

	public void click(WebElement element) {
		script("arguments[0].scrollIntoView({block: 'center'})", element);
		try {
			element.click();
		}
		catch (ElementClickInterceptedException ex) {
			// the layout moved under the pointer (e.g. validation messages appeared);
			// click as the browser would
			script("arguments[0].click()", element);
		}
	}

	public WebElement find(By locator) {
		return this.driver.findElement(locator);
	}

	public List<WebElement> findAll(By locator) {
		return this.driver.findElements(locator);
	}

	public WebElement waitFor(By locator) {
		return new WebDriverWait(this.driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
	}

	/** Waits until the element shows exactly this text (e.g. a status htmx updates). */
	public void waitForText(By locator, String text) {
		new WebDriverWait(this.driver, WAIT).until(ExpectedConditions.textToBe(locator, text));
	}

	public String text(By locator) {
		return find(locator).getText();
	}

	public Object script(String script, Object... arguments) {
		return this.driver.executeScript(script, arguments);
	}

	public void resize(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	/**
	 * Fails on any WCAG 2.1 A or AA rule axe-core finds broken on the page as it is now
	 * (its state included: open menus, errors shown), and on the portal's own rules (no
	 * inline style or script, one h1, captioned tables).
	 */
	public void assertAccessible() {
		@SuppressWarnings("unchecked")
		List<String> problems = (List<String>) script(ACCESSIBILITY_CHECK);
		assertThat(problems).as(this.driver.getCurrentUrl()).isEmpty();
		// loaded through the driver, not the page: the Content-Security-Policy allows no
		// script from elsewhere, and it must not be loosened for a test
		if (!Boolean.TRUE.equals(script("return typeof window.axe !== 'undefined'"))) {
			script(axeSource());
		}
		@SuppressWarnings("unchecked")
		List<String> violations = (List<String>) this.driver.executeAsyncScript(AXE_RUN);
		assertThat(violations).as("axe-core, WCAG 2.1 A and AA, on " + this.driver.getCurrentUrl()).isEmpty();
	}

	/**
	 * axe-core's rules tagged for WCAG 2.0 and 2.1, levels A and AA; each violation in
	 * words.
	 */
	private static final String AXE_RUN = """
			const done = arguments[arguments.length - 1];
			axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
			  .then((results) => done(results.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at '
			      + v.nodes.slice(0, 5).map((n) => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ') + ']' : '')).join('; '))))
			  .catch((e) => done(['axe-core failed: ' + e]));
			""";

	/**
	 * The elements that reach past the right edge of the window, innermost first (none
	 * when the page does not scroll sideways), each as tag, id and classes.
	 */
	@SuppressWarnings("unchecked")
	public List<String> sidewaysOverflow() {
		return (List<String>) script(
				"""
						const width = document.documentElement.clientWidth;
						// a region that scrolls sideways inside the page (a wide table) counts too
						const inner = [...document.body.querySelectorAll('*')].filter((e) => e.scrollWidth > e.clientWidth + 1
						    && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && !e.matches('pre, textarea'))
						  .map((e) => 'scrolls inside: ' + e.outerHTML.slice(0, 100));
						if (inner.length) return inner;
						if (document.documentElement.scrollWidth <= width) return [];
						const wide = [...document.body.querySelectorAll('*')]
						  .filter((e) => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length > 0);
						return wide.filter((e) => !wide.some((other) => other !== e && e.contains(other))).slice(0, 8)
						  .map((e) => e.outerHTML.slice(0, 120) + ' | ' + e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined
						      ? '.' + String(e.className).trim().replace(/\s+/g, '.') : '') + ' ' + (e.textContent || '').trim().slice(0, 40));
						""");
	}

	/**
	 * What the browser's console said at error level since it was last asked: scripts
	 * that failed, and what the Content-Security-Policy refused.
	 */
	public List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	/** Where {@code npm ci} (in .ci/run) puts axe-core. */
	static final Path AXE = Path.of("node_modules/axe-core/axe.min.js");

	private static String axeSource() {
		try {
			return Files.readString(AXE);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + AXE, ex);
		}
	}

	/**
	 * Checks the page's accessibility, then saves it as {@code name}.png in
	 * target/screenshots, or where {@code -Dportal.screenshots} says
	 * ({@code -Dportal.screenshots=docs/screenshots} refreshes the ones the README
	 * shows).
	 */
	public void screenshot(String name) throws Exception {
		assertAccessible();
		File shot = this.driver.getScreenshotAs(OutputType.FILE);
		Path target = Path.of(System.getProperty("portal.screenshots", "target/screenshots"), name + ".png");
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
