package io.transferportal.accounts;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import io.transferportal.PortalApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on against a real OpenID Connect provider: Spring Authorization Server in
 * its own application context and port, the portal in another, and an HTTP client that
 * keeps cookies and follows each redirect itself, like a browser. Both run on 127.0.0.1
 * (cookies ignore ports, so the provider's session cookie has its own name).
 */
class SingleSignOnIntegrationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	static ConfigurableApplicationContext identityProvider;

	static ConfigurableApplicationContext portal;

	static URI idpBase;

	static URI portalBase;

	@BeforeAll
	static void start() throws IOException {
		// the client registration at the provider needs the portal's redirect URI, and
		// the portal reads the provider's metadata at start-up: both ports are chosen
		// first, then the provider starts, then the portal
		int idpPort = freePort();
		int portalPort = freePort();
		idpBase = URI.create("http://127.0.0.1:" + idpPort);
		portalBase = URI.create("http://127.0.0.1:" + portalPort);
		String client = "--spring.security.oauth2.authorizationserver.client.portal.";
		identityProvider = new SpringApplicationBuilder(IdentityProvider.class).run("--server.port=" + idpPort,
				"--server.servlet.session.cookie.name=IDP_SESSION",
				"--spring.security.oauth2.authorizationserver.issuer=" + idpBase,
				client + "registration.client-id=portal", client + "registration.client-secret={noop}portal-secret",
				client + "registration.client-authentication-methods=client_secret_basic",
				client + "registration.authorization-grant-types=authorization_code",
				client + "registration.redirect-uris=" + portalBase + "/login/oauth2/code/idp",
				client + "registration.scopes=openid,profile", client + "require-authorization-consent=false");
		String registration = "--spring.security.oauth2.client.registration.idp.";
		portal = new SpringApplicationBuilder(PortalApplication.class).run("--server.port=" + portalPort,
				"--portal.aws.region=us-east-1", registration + "client-id=portal",
				registration + "client-secret=portal-secret", registration + "client-name=Example IdP",
				registration + "scope=openid,profile",
				"--spring.security.oauth2.client.provider.idp.issuer-uri=" + idpBase,
				"--portal.sso.group-roles.transfer-approvers=APPROVER");
	}

	@AfterAll
	static void stop() {
		if (portal != null) {
			portal.close();
		}
		if (identityProvider != null) {
			identityProvider.close();
		}
	}

	@Test
	void groupMemberSignsInWithTheProvidersNameAndTheGroupsRole() throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> home = signIn(browser, "dave", "dave-password");
		assertThat(home.uri()).isEqualTo(portalBase.resolve("/"));
		assertThat(home.body()).contains("Signed in as <strong>sso:dave</strong>")
			.contains("Your roles: <span>APPROVER</span>");
		assertThat(browser.get(portalBase.resolve("/admin/audit/export")).statusCode()).isEqualTo(403);
	}

	@Test
	void userWithoutAMappedGroupSignsInWithoutRoles() throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> home = signIn(browser, "erin", "erin-password");
		assertThat(home.body()).contains("Signed in as <strong>sso:erin</strong>")
			.contains("You have no roles yet")
			.doesNotContain("APPROVER");
		assertThat(browser.get(portalBase.resolve("/admin/audit/export")).statusCode()).isEqualTo(403);
	}

	@Test
	void localAccountsStillSignInWithAPassword() throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> login = browser.follow(portalBase.resolve("/login"));
		HttpResponse<String> signedIn = browser.post(portalBase.resolve("/login"),
				Map.of("username", "bob", "password", "bob-password", "_csrf", csrfToken(login.body())));
		HttpResponse<String> home = browser.follow(signedIn.uri().resolve(location(signedIn)));
		assertThat(home.body()).contains("Signed in as <strong>bob</strong>")
			.contains("Your roles: <span>APPROVER</span>");
	}

	/**
	 * From the portal's sign-in page through the provider's sign-in form and back to the
	 * portal's home page.
	 */
	private static HttpResponse<String> signIn(Browser browser, String username, String password) throws Exception {
		HttpResponse<String> login = browser.follow(portalBase.resolve("/login"));
		Matcher link = Pattern.compile("<a href=\"([^\"]+)\"[^>]*>Sign in with single sign-on</a>")
			.matcher(login.body());
		assertThat(link.find()).as("single sign-on link in %s", login.body()).isTrue();
		assertThat(link.group(1)).isEqualTo("/oauth2/authorization/idp");
		HttpResponse<String> idpLogin = browser.follow(portalBase.resolve(link.group(1)));
		assertThat(idpLogin.uri()).isEqualTo(idpBase.resolve("/login"));
		HttpResponse<String> signedIn = browser.post(idpLogin.uri(),
				Map.of("username", username, "password", password, "_csrf", csrfToken(idpLogin.body())));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		HttpResponse<String> home = browser.follow(signedIn.uri().resolve(location(signedIn)));
		assertThat(home.statusCode()).isEqualTo(200);
		return home;
	}

	private static String csrfToken(String html) {
		Matcher input = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>").matcher(html);
		assertThat(input.find()).as("CSRF field in %s", html).isTrue();
		Matcher value = Pattern.compile("value=\"([^\"]+)\"").matcher(input.group());
		assertThat(value.find()).isTrue();
		return value.group(1);
	}

	private static String location(HttpResponse<?> response) {
		return response.headers().firstValue("Location").orElseThrow();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Keeps cookies and asks for HTML like a browser (the provider sends only HTML
	 * clients to its sign-in page).
	 */
	static final class Browser {

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(TIMEOUT)
			.build();

		HttpResponse<String> get(URI uri) throws Exception {
			return send(request(uri).GET().build());
		}

		HttpResponse<String> post(URI uri, Map<String, String> form) throws Exception {
			String body = form.entrySet()
				.stream()
				.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
				.collect(Collectors.joining("&"));
			return send(request(uri).header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build());
		}

		/**
		 * GETs the URI and every redirect after it, up to the first response that is not
		 * a redirect.
		 */
		HttpResponse<String> follow(URI uri) throws Exception {
			HttpResponse<String> response = get(uri);
			for (int hops = 0; response.statusCode() / 100 == 3; hops++) {
				assertThat(hops).as("redirects from %s", uri).isLessThan(10);
				response = get(response.uri().resolve(location(response)));
			}
			return response;
		}

		private static HttpRequest.Builder request(URI uri) {
			return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/html");
		}

		private HttpResponse<String> send(HttpRequest request) throws Exception {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

	/**
	 * The OpenID Connect provider: Spring Authorization Server with Boot's defaults (its
	 * endpoints, a form sign-in page, a generated signing key) and two users. Not a
	 * {@code @Configuration}, so the portal's component scan of {@code io.transferportal}
	 * never picks it up, and only the auto-configuration it lists, so it gets no
	 * database.
	 */
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class,
			TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
			SecurityFilterAutoConfiguration.class, OAuth2AuthorizationServerAutoConfiguration.class,
			OAuth2AuthorizationServerJwtAutoConfiguration.class })
	static class IdentityProvider {

		// dave is in a group the portal maps; erin's only group (sent as a plain string)
		// is not mapped
		static final Map<String, Object> GROUPS = Map.of("dave", List.of("transfer-approvers", "staff"), "erin",
				"contractors");

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("dave").password("{noop}dave-password").roles("USER").build(),
					User.withUsername("erin").password("{noop}erin-password").roles("USER").build());
		}

		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims() {
			return (context) -> {
				if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
					String username = context.getPrincipal().getName();
					context.getClaims().claim("preferred_username", username);
					context.getClaims().claim("groups", GROUPS.get(username));
				}
			};
		}

	}

}
