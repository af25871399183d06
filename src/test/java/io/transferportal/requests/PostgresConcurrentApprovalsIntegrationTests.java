package io.transferportal.requests;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.transferportal.support.Postgres;

/**
 * The concurrent approvals on PostgreSQL, whose row locks and isolation differ from H2's
 * (skipped where PORTAL_TEST_POSTGRES_URL is not set; .ci/run sets it).
 */
@EnabledIfEnvironmentVariable(named = Postgres.URL_VARIABLE, matches = ".+")
class PostgresConcurrentApprovalsIntegrationTests extends ConcurrentApprovalsIntegrationTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		Postgres.freshSchema().forEach((key, value) -> registry.add(key, () -> value));
	}

}
