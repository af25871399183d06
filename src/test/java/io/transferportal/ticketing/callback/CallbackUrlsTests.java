package io.transferportal.ticketing.callback;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Callbacks go only to absolute http(s) URLs on an allowed host. */
class CallbackUrlsTests {

	CallbackUrls urls = urls("hooks.example.com", "*.ticketing.example.org", " ITSM.Example.NET ");

	@Test
	void problemWhenExactHostThenNone() {
		assertThat(this.urls.problem("https://hooks.example.com/portal/callback?x=1")).isEmpty();
		assertThat(this.urls.problem("http://HOOKS.example.com:8443/cb")).isEmpty();
		assertThat(this.urls.problem("https://itsm.example.net/cb")).isEmpty();
	}

	@Test
	void problemWhenWildcardThenSubdomainsOnly() {
		assertThat(this.urls.problem("https://acme.ticketing.example.org/cb")).isEmpty();
		assertThat(this.urls.problem("https://eu.acme.ticketing.example.org/cb")).isEmpty();
		assertThat(this.urls.problem("https://ticketing.example.org/cb"))
			.hasValueSatisfying((problem) -> assertThat(problem).contains("not allowed"));
		assertThat(this.urls.problem("https://evilticketing.example.org/cb")).isPresent();
	}

	@Test
	void problemWhenOtherHostThenNotAllowed() {
		assertThat(this.urls.problem("https://evil.example.com/cb"))
			.hasValue("host evil.example.com is not allowed for callbacks");
		assertThat(this.urls.problem("https://hooks.example.com.evil.com/cb")).isPresent();
	}

	@Test
	void problemWhenIpLiteralNotListedThenNotAllowed() {
		assertThat(this.urls.problem("http://169.254.169.254/latest/meta-data/")).isPresent();
		assertThat(this.urls.problem("http://127.0.0.1:8080/cb")).isPresent();
		assertThat(this.urls.problem("http://[::1]/cb")).isPresent();
	}

	@Test
	void problemWhenUserInfoThenRejected() {
		assertThat(this.urls.problem("http://hooks.example.com@evil.com/"))
			.hasValue("must not contain user information");
		assertThat(this.urls.problem("https://user:pw@hooks.example.com/cb")).isPresent();
	}

	@Test
	void problemWhenNotHttpThenRejected() {
		assertThat(this.urls.problem("ftp://hooks.example.com/cb")).hasValue("must be an absolute http or https URL");
		assertThat(this.urls.problem("file:///etc/passwd")).isPresent();
		assertThat(this.urls.problem("mailto:ops@hooks.example.com")).isPresent();
	}

	@Test
	void problemWhenRelativeOrInvalidThenRejected() {
		assertThat(this.urls.problem("/portal/callback")).hasValue("must be an absolute http or https URL");
		assertThat(this.urls.problem("hooks.example.com/cb")).isPresent();
		assertThat(this.urls.problem("https://hooks.example.com/a b")).hasValue("is not a valid URL");
		assertThat(this.urls.problem("https:///cb")).isPresent();
	}

	@Test
	void problemWhenThePortIsOutOfRangeThenRejected() {
		assertThat(this.urls.problem("http://hooks.example.com:99999/"))
			.hasValue("port 99999 is not a port (1 to 65535)");
		assertThat(this.urls.problem("http://hooks.example.com:0/")).hasValue("port 0 is not a port (1 to 65535)");
		assertThat(this.urls.problem("http://hooks.example.com:65535/")).isEmpty();
		assertThat(this.urls.problem("http://hooks.example.com:1/")).isEmpty();
	}

	@Test
	void problemWhenNoHostsConfiguredThenEverythingRejected() {
		assertThat(urls().problem("https://hooks.example.com/cb")).isPresent();
	}

	private static CallbackUrls urls(String... allowedHosts) {
		return new CallbackUrls(new CallbackProperties(List.of(allowedHosts), Duration.ofSeconds(2),
				Duration.ofMinutes(5), 10, Duration.ofSeconds(1), Duration.ofSeconds(5)));
	}

}
