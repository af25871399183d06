package io.transferportal.requests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.transferportal.support.Postgres;

/** Migrations and repositories on PostgreSQL (skipped where PORTAL_TEST_POSTGRES_URL is not set; .ci/run sets it). */
@EnabledIfEnvironmentVariable(named = Postgres.URL_VARIABLE, matches = ".+")
@SpringBootTest
class PostgresPersistenceIntegrationTests {

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		Postgres.freshSchema().forEach((key, value) -> registry.add(key, () -> value));
	}

	@Test
	void requestsRoundTripWithTheirPlanAndDecisions() {
		new PersistenceContract(this.context).requestsRoundTripWithTheirPlanAndDecisions();
	}

	@Test
	void onlyOneRunnerCanClaimARequestUntilItsLeaseExpires() {
		new PersistenceContract(this.context).onlyOneRunnerCanClaimARequestUntilItsLeaseExpires();
	}

	@Test
	void managedUsersKeepTheirLastCheckPerResource() {
		new PersistenceContract(this.context).managedUsersKeepTheirLastCheckPerResource();
	}

	@Test
	void auditEntriesAreStoredAndFiltered() {
		new PersistenceContract(this.context).auditEntriesAreStoredAndFiltered();
	}

	@Test
	void rowLocksSerializeConcurrentCriticalSections() throws Exception {
		new PersistenceContract(this.context).rowLocksSerializeConcurrentCritialSections();
	}

}
