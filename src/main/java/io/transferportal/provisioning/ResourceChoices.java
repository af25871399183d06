package io.transferportal.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import io.transferportal.provisioning.kms.KeyAliases;
import io.transferportal.provisioning.s3.BucketList;

/**
 * What the request forms offer to pick from: the account's buckets and its keys by alias.
 * The lists are suggestions (the fields take any value, and the engine validates it), so
 * they are kept for a minute rather than listed again for every form shown; a list that
 * cannot be read is empty, with the reason for the form to show.
 */
@Service
public class ResourceChoices {

	/** How long a list is kept: a new bucket or alias shows up within this. */
	static final Duration KEPT_FOR = Duration.ofMinutes(1);

	private final BucketList buckets;

	private final KeyAliases aliases;

	private final Cache<String, Choices<?>> cache;

	ResourceChoices(BucketList buckets, KeyAliases aliases, Clock clock) {
		this.buckets = buckets;
		this.aliases = aliases;
		this.cache = Caffeine.newBuilder()
			.expireAfterWrite(KEPT_FOR)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	public Choices<String> buckets() {
		return kept("buckets", this.buckets::names);
	}

	public Choices<KeyChoice> keys() {
		return kept("keys", this.aliases::keys);
	}

	/** A list read within the last minute, or read now; a failure is not kept. */
	@SuppressWarnings("unchecked")
	private <T> Choices<T> kept(String name, Supplier<List<T>> list) {
		Choices<T> kept = (Choices<T>) this.cache.getIfPresent(name);
		if (kept != null) {
			return kept;
		}
		try {
			Choices<T> read = new Choices<>(list.get(), null);
			this.cache.put(name, read);
			return read;
		}
		catch (ProvisioningException ex) {
			return new Choices<>(List.of(), ex.getMessage());
		}
	}

	/**
	 * A list to pick from, or why there is none.
	 *
	 * @param items what to offer
	 * @param error why the list could not be read ({@code null} when it was)
	 */
	public record Choices<T>(List<T> items, @Nullable String error) {
	}

}
