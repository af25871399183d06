package io.transferportal.ticketing.callback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Decides whether the portal may call a callback URL: only absolute http(s) URLs without
 * user information whose host is in {@code portal.callbacks.allowed-hosts}. Checked when
 * a request is submitted and again before every attempt, so a host removed from the
 * settings gets no further calls.
 * <p>
 * The host is compared as written, not resolved: the allowed names are trusted to point
 * where they should.
 */
@Component
public class CallbackUrls {

	static final int MAX_LENGTH = 2048;

	static final int MAX_PORT = 65_535;

	private final List<String> allowedHosts;

	CallbackUrls(CallbackProperties properties) {
		this.allowedHosts = properties.allowedHosts()
			.stream()
			.map((host) -> host.strip().toLowerCase(Locale.ROOT))
			.filter((host) -> !host.isEmpty())
			.toList();
	}

	/**
	 * Checks a callback URL.
	 * @param url the URL a client asked callbacks to go to
	 * @return why the portal will not call it, or empty if it may
	 */
	public Optional<String> problem(String url) {
		if (url.length() > MAX_LENGTH) {
			return Optional.of("must not be longer than " + MAX_LENGTH + " characters");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return Optional.of("is not a valid URL");
		}
		String scheme = uri.getScheme();
		if (!uri.isAbsolute() || uri.isOpaque()
				|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
			return Optional.of("must be an absolute http or https URL");
		}
		if (uri.getRawUserInfo() != null) {
			return Optional.of("must not contain user information");
		}
		if (uri.getHost() == null) {
			return Optional.of("must name a host");
		}
		// java.net.URI parses any digits as a port; a TCP port is 1 to 65535 (RFC 6335)
		if (uri.getPort() == 0 || uri.getPort() > MAX_PORT) {
			return Optional.of("port " + uri.getPort() + " is not a port (1 to " + MAX_PORT + ")");
		}
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		if (this.allowedHosts.stream().noneMatch((allowed) -> matches(allowed, host))) {
			return Optional.of("host " + host + " is not allowed for callbacks");
		}
		return Optional.empty();
	}

	/**
	 * {@code *.example.com} matches any sub-domain of example.com (at any depth), but not
	 * example.com itself.
	 */
	private static boolean matches(String allowed, String host) {
		if (allowed.startsWith("*.")) {
			return host.endsWith(allowed.substring(1));
		}
		return allowed.equals(host);
	}

}
