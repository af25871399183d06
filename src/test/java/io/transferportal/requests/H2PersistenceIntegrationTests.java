package io.transferportal.requests;

import org.springframework.boot.test.context.SpringBootTest;

/** Migrations and repositories on the embedded H2 database. */
@SpringBootTest
class H2PersistenceIntegrationTests extends PersistenceIntegrationTests {

}
