package io.transferportal.requests;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** Migrations and repositories on the embedded H2 database. */
@SpringBootTest
class H2PersistenceIntegrationTests {

	@Autowired
	ApplicationContext context;

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
