package io.transferportal.requests;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * Migrations and repositories on the embedded H2 database. A context of its own, not the
 * shared {@code @PortalIntegrationTest} one: these tests store approved and leased
 * requests directly, which the shared context's runner would pick up and run in the
 * middle of other tests.
 */
@SpringBootTest
class H2PersistenceIntegrationTests extends PersistenceIntegrationTests {

}
