package io.transferportal.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium on the portal (Debian's chromium and chromium-driver, installed by
 * .ci/run), with the few steps the browser tests take: sign in and out, open, type,
 * click, wait. One per test class: start it in {@code @BeforeAll}, quit it in
 * {@code @AfterAll}.
 */
public final class Browser implements AutoCloseable {

	/**
	 * A ceiling for page changes on a loaded machine; they usually take well under a
	 * second.
	 */
	public static final Duration WAIT = Duration.ofSeconds(90);

	private final WebDriver driver;

	private Browser(WebDriver driver) {
		this.driver = driver;
	}

	/** Starts Chromium, or skips the test class on a machine without it. */
	public static Browser start() {
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
		return new Browser(new ChromeDriver(service, options));
	}

	public WebDriver driver() {
		return this.driver;
	}

	public void signIn(int port, String user, String password) {
		open(port, "/login");
		type("username", user);
		type("password", password);
		click(By.cssSelector("form button[type=submit]"));
		waitFor(By.linkText("Dashboard"));
	}

	public void signOut() {
		click(By.xpath("//button[normalize-space()='Sign out']"));
		waitFor(By.id("username"));
	}

	public void open(int port, String path) {
		this.driver.get("http://127.0.0.1:" + port + path);
	}

	public void type(String id, String text) {
		WebElement field = this.driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	/** Sets a field's value as a picker would (date inputs take no typed ISO dates). */
	public void set(String id, String value) {
		((JavascriptExecutor) this.driver).executeScript("arguments[0].value = arguments[1]",
				this.driver.findElement(By.id(id)), value);
	}

	public void click(By locator) {
		WebElement element = this.driver.findElement(locator);
		((JavascriptExecutor) this.driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
		try {
			element.click();
		}
		catch (ElementClickInterceptedException ex) {
			// the layout moved under the pointer (e.g. validation messages appeared);
			// click as the browser would
			((JavascriptExecutor) this.driver).executeScript("arguments[0].click()", element);
		}
	}

	public WebElement waitFor(By locator) {
		return new WebDriverWait(this.driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
	}

	public String text(By locator) {
		return this.driver.findElement(locator).getText();
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
