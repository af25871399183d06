package io.transferportal.support;

import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL the tests use: {@code PORTAL_TEST_POSTGRES_URL} (set by {@code .ci/run},
 * which starts the server), user and password {@code portal}. Each caller gets a schema
 * of its own, so tests never see each other's rows.
 */
public final class Postgres {

	public static final String URL_VARIABLE = "PORTAL_TEST_POSTGRES_URL";

	private Postgres() {
	}

	public static Map<String, Object> freshSchema() {
		String url = System.getenv(URL_VARIABLE);
		if (url == null || url.isBlank()) {
			throw new IllegalStateException(URL_VARIABLE + " is not set; run .ci/postgres.sh and export it");
		}
		String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		return Map.of("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
				"spring.datasource.username", "portal", "spring.datasource.password", "portal",
				"spring.flyway.default-schema", schema, "spring.flyway.schemas", schema);
	}

}
