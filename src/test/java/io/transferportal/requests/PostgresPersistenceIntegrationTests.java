package io.transferportal.requests;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.transferportal.support.Postgres;

/**
 * Migrations and repositories on PostgreSQL (skipped where PORTAL_TEST_POSTGRES_URL is
 * not set; .ci/run sets it).
 */
@SpringBootTest
@EnabledIfEnvironmentVariable(named = Postgres.URL_VARIABLE, matches = ".+")
class PostgresPersistenceIntegrationTests extends PersistenceIntegrationTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		Postgres.freshSchema().forEach((key, value) -> registry.add(key, () -> value));
	}

}
