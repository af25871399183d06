package io.transferportal.support;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.transferportal.PortalApplication;

/**
 * A whole portal started by a test, as a second instance or after a "restart": same
 * database, same moto_server.
 */
public final class PortalInstance {

	private PortalInstance() {
	}

	public static ConfigurableApplicationContext start(Map<String, Object> properties, Class<?>... extraSources) {
		Map<String, Object> all = new HashMap<>();
		all.put("server.port", "0");
		all.putAll(MotoServer.properties());
		all.putAll(properties);
		Class<?>[] sources = new Class<?>[extraSources.length + 2];
		sources[0] = PortalApplication.class;
		sources[1] = MotoTestConfiguration.class;
		System.arraycopy(extraSources, 0, sources, 2, extraSources.length);
		// as command-line arguments, so they win over the test configuration files
		String[] args = all.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(sources).run(args);
	}

	/**
	 * An in-memory H2 database that outlives the contexts using it (for the life of the
	 * JVM).
	 */
	public static Map<String, Object> sharedH2() {
		return Map.of("spring.datasource.url",
				"jdbc:h2:mem:shared-" + UUID.randomUUID() + ";LOCK_TIMEOUT=60000;DB_CLOSE_DELAY=-1");
	}

}
