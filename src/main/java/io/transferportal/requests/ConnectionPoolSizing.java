package io.transferportal.requests;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sizes the database connection pool to {@code portal.provisioning.concurrency} unless
 * the operator sized it: {@code spring.datasource.hikari.maximum-pool-size} becomes the
 * concurrency plus {@link #HEADROOM}.
 * <p>
 * A run may hold a connection for the length of an AWS call (a key policy's row lock), so
 * every executor thread needs one, and the rest of the portal keeps the pool it had
 * before: web and API requests, the scheduler's polls and heartbeats, the lifecycle task
 * and the callback sender.
 * <p>
 * The value is added as the last property source, so any explicit setting (properties
 * file, environment variable, command line, under any relaxed name) wins. Registered in
 * {@code META-INF/spring.factories}; runs after the configuration files are loaded.
 */
class ConnectionPoolSizing implements EnvironmentPostProcessor {

	static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";

	/** Connections beside the runs' ones: Hikari's default pool size. */
	static final int HEADROOM = 10;

	static final String SOURCE = "portalConnectionPoolSizing";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		if (isSet(binder, POOL_SIZE)) {
			return;
		}
		Integer concurrency = concurrency(binder);
		if (concurrency == null) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE, Map.of(POOL_SIZE, concurrency + HEADROOM)));
	}

	private static boolean isSet(Binder binder, String name) {
		try {
			return binder.bind(name, Integer.class).isBound();
		}
		catch (BindException ex) {
			// set, but not a number: left to the data source binding to report
			return true;
		}
	}

	/**
	 * The configured concurrency, or {@code null} if it is invalid (its validation stops
	 * the start with a clear message; the pool is not sized from a wrong value).
	 */
	private static @Nullable Integer concurrency(Binder binder) {
		BindResult<Integer> bound;
		try {
			bound = binder.bind(ProvisioningConcurrencyProperties.PROPERTY, Integer.class);
		}
		catch (BindException ex) {
			return null;
		}
		int concurrency = bound.orElse(Integer.parseInt(ProvisioningConcurrencyProperties.DEFAULT_CONCURRENCY));
		if (concurrency < ProvisioningConcurrencyProperties.MIN_CONCURRENCY
				|| concurrency > ProvisioningConcurrencyProperties.MAX_CONCURRENCY) {
			return null;
		}
		return concurrency;
	}

}
