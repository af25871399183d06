package io.transferportal.provisioning.demo;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.stereotype.Component;

/**
 * The demo's database follows its emulator: when {@link DemoEmulator} started a new one,
 * which holds none of the servers, roles and users an earlier run created, the database
 * is emptied before it is migrated, so the dashboard does not list users that can never
 * be found, repaired or removed again. An emulator that was already running keeps its
 * resources, and the database its users.
 * <p>
 * Spring Boot's Flyway initializer calls a {@link FlywayMigrationStrategy} bean instead
 * of {@code Flyway.migrate()} (its Javadoc: registered as a bean, it overrides the
 * default migration behaviour), before JPA and anything else uses the database; the
 * emulator it depends on is created, and started, first. Flyway's {@code clean} drops
 * every object of the schemas it manages, and every table of the portal is created by its
 * migrations: Spring Modulith's event publications ({@code V2__event_publication.sql},
 * its own schema initialisation being off) and db-scheduler's {@code scheduled_tasks}
 * ({@code V6__scheduled_runs.sql}) included; there is no Spring Session. Clean is refused
 * unless {@code spring.flyway.clean-disabled=false}, which only the demo profile sets.
 */
@Component
@ConditionalOnBooleanProperty("portal.demo.emulator.enabled")
class DemoDatabase implements FlywayMigrationStrategy {

	private static final Logger logger = LoggerFactory.getLogger(DemoDatabase.class);

	private final DemoEmulator emulator;

	DemoDatabase(DemoEmulator emulator) {
		this.emulator = emulator;
	}

	@Override
	public void migrate(Flyway flyway) {
		// a database without migrations (the demo's first start) has nothing to reset
		if (this.emulator.isNew() && flyway.info().applied().length > 0) {
			flyway.clean();
			logger.info("Demo database reset: the AWS emulator was started anew and holds none of its earlier users");
		}
		flyway.migrate();
	}

}
