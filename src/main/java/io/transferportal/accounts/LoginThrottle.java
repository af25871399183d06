package io.transferportal.accounts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import io.transferportal.ClockTimeMeter;

/**
 * Slows password guessing down without locking anyone out. Every password sign-in spends
 * one attempt of its user name and one of its client address, before the password is
 * checked ({@link LoginThrottleFilter}); a name or an address that has spent all its
 * attempts is refused with the same answer as a wrong password, and spent attempts come
 * back one by one over {@link SecurityProperties#failedLoginPeriod()}. A correct password
 * gives the attempts back.
 * <p>
 * Why not a lock on the account, as before: anybody could lock an approver out (and with
 * it their API token) by typing five wrong passwords, and a lock that only known names
 * get tells which names exist. Here a name is throttled whether or not an account has it,
 * nothing is written to the database, and API tokens and single sign-on are untouched
 * (OWASP Authentication Cheat Sheet, "Protect Against Automated Attacks":
 * https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html).
 * <p>
 * Each instance counts on its own, so with several replicas a name gets that many times
 * the attempts; the state is bounded ({@link #MAX_TRACKED} names and addresses) and
 * forgotten once the period has passed without an attempt.
 */
@Component
class LoginThrottle {

	/**
	 * Names (and addresses) tracked at most: a spray of random names cannot fill memory.
	 */
	static final int MAX_TRACKED = 50_000;

	// user names have at most 100 characters, so a longer one never names an account
	private static final int MAX_NAME_LENGTH = 101;

	private static final Pattern UNSAFE_IN_LOG = Pattern.compile("[^A-Za-z0-9._@-]");

	private static final Logger logger = LoggerFactory.getLogger(LoginThrottle.class);

	private final SecurityProperties properties;

	private final Clock clock;

	private final TimeMeter time;

	private final Cache<String, Bucket> names;

	private final Cache<String, Bucket> addresses;

	LoginThrottle(SecurityProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.time = new ClockTimeMeter(clock);
		this.names = newCache(properties.failedLoginPeriod());
		this.addresses = newCache(properties.failedLoginPeriod());
	}

	/**
	 * Spends one attempt of the name and one of the address.
	 * @param username the name as typed (compared ignoring case, as accounts are)
	 * @param address the client's address
	 * @return {@code false} if either has no attempt left (then neither is spent)
	 */
	boolean tryAcquire(String username, String address) {
		Bucket name = bucket(this.names, nameKey(username), this.properties.maxFailedLogins());
		Bucket client = bucket(this.addresses, addressKey(address), this.properties.maxFailedLoginsPerAddress());
		if (!name.tryConsume(1)) {
			return false;
		}
		if (!client.tryConsume(1)) {
			name.addTokens(1);
			return false;
		}
		if (name.getAvailableTokens() == 0) {
			logger.warn("Sign-in for user name '{}' paused: {} attempts in {}", forLog(username),
					this.properties.maxFailedLogins(), this.properties.failedLoginPeriod());
		}
		if (client.getAvailableTokens() == 0) {
			logger.warn("Sign-in from {} paused: {} attempts in {}", forLog(address),
					this.properties.maxFailedLoginsPerAddress(), this.properties.failedLoginPeriod());
		}
		return true;
	}

	/**
	 * A correct password: the name gets all its attempts back, the address the one this
	 * sign-in spent (so that people behind one office address do not use up each
	 * other's).
	 */
	void succeeded(String username, String address) {
		this.names.invalidate(nameKey(username));
		Bucket client = this.addresses.getIfPresent(addressKey(address));
		if (client != null) {
			client.addTokens(1);
		}
	}

	/** An administrator set a new password: the name may sign in at once. */
	void forget(String username) {
		this.names.invalidate(nameKey(username));
	}

	/** When the name may try again, if it has no attempt left now. */
	Optional<Instant> pausedUntil(String username) {
		Bucket name = this.names.getIfPresent(nameKey(username));
		if (name == null) {
			return Optional.empty();
		}
		EstimationProbe probe = name.estimateAbilityToConsume(1);
		return probe.canBeConsumed() ? Optional.empty()
				: Optional.of(this.clock.instant().plusNanos(probe.getNanosToWaitForRefill()));
	}

	@EventListener
	void on(AuthenticationSuccessEvent event) {
		// form sign-in only: single sign-on never spent an attempt
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken authentication
				&& authentication.getDetails() instanceof WebAuthenticationDetails details
				&& details.getRemoteAddress() != null) {
			succeeded(authentication.getName(), details.getRemoteAddress());
		}
	}

	private Bucket bucket(Cache<String, Bucket> cache, String key, int attempts) {
		return cache.get(key,
				(ignored) -> Bucket.builder()
					.addLimit(Bandwidth.builder()
						.capacity(attempts)
						.refillGreedy(attempts, this.properties.failedLoginPeriod())
						.build())
					.withCustomTimePrecision(this.time)
					.build());
	}

	private Cache<String, Bucket> newCache(Duration period) {
		// a bucket untouched for a whole period is full again, so forgetting it is exact
		return Caffeine.newBuilder()
			.maximumSize(MAX_TRACKED)
			.expireAfterAccess(period)
			.ticker(this.time::currentTimeNanos)
			.build();
	}

	static String nameKey(String username) {
		String name = username.strip().toLowerCase(Locale.ROOT);
		return (name.length() > MAX_NAME_LENGTH) ? name.substring(0, MAX_NAME_LENGTH) : name;
	}

	/**
	 * The address, or for IPv6 its /64 network: one subscriber usually holds a whole /64
	 * (RFC 6177), so counting single IPv6 addresses would give an attacker billions of
	 * budgets.
	 */
	static String addressKey(String address) {
		if (address.indexOf(':') < 0) {
			return address;
		}
		try {
			// in brackets the JDK parses an IPv6 literal or fails; it never asks DNS
			InetAddress parsed = InetAddress.getByName("[" + address + "]");
			if (parsed.getAddress().length == 4) {
				// an IPv4-mapped address (::ffff:192.0.2.1) is that IPv4 address
				return parsed.getHostAddress();
			}
			byte[] network = parsed.getAddress();
			Arrays.fill(network, 8, 16, (byte) 0);
			return InetAddress.getByAddress(network).getHostAddress() + "/64";
		}
		catch (UnknownHostException ex) {
			return address;
		}
	}

	private static String forLog(String value) {
		String safe = UNSAFE_IN_LOG.matcher(value).replaceAll("?");
		return (safe.length() > MAX_NAME_LENGTH) ? safe.substring(0, MAX_NAME_LENGTH) : safe;
	}

}
