package io.transferportal.requests;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrations and repositories on the embedded H2 database. A context of its own, not the
 * shared {@code @PortalIntegrationTest} one: these tests store approved and leased
 * requests directly, which the shared context's runner would pick up and run in the
 * middle of other tests.
 */
@SpringBootTest
class H2PersistenceIntegrationTests extends PersistenceIntegrationTests {

	/**
	 * H2 reads a page of users in an index's order and stops only when the statement's
	 * order starts with the index's columns; otherwise it reads and sorts every active
	 * user for each page. The statements are the ones Hibernate sends, explained by H2.
	 */
	@Test
	void pagesOfUsersAreReadInTheOrderOfAnIndex(@Autowired AccessRequestManagement requests,
			@Autowired RecordedStatements statements, @Autowired JdbcTemplate jdbc) {
		PageRequest page = PageRequest.of(3, 50, AccessRequestManagement.USER_ORDER);

		requests.managedUsers(null, null, null, page);
		assertThat(plan(jdbc, statements.lastPage())).contains("MANAGED_USER_STATUS_ORDER_IDX")
			.contains("/* index sorted */");

		requests.managedUsers("ann", null, null, page);
		assertThat(plan(jdbc, statements.lastPage())).contains("MANAGED_USER_STATUS_ORDER_IDX")
			.contains("/* index sorted */");

		// the health is in this index too: users of other healths are passed over
		// without reading their rows
		requests.managedUsers(null, Health.DRIFT, null, page);
		assertThat(plan(jdbc, statements.lastPage())).contains("MANAGED_USER_HEALTH_ORDER_IDX")
			.contains("/* index sorted */");
	}

	private static String plan(JdbcTemplate jdbc, String sql) {
		// EXPLAIN plans without running: the parameters need no values
		List<String> rows = jdbc.queryForList("explain " + sql, String.class);
		return String.join("\n", rows);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Statements {

		@Bean
		RecordedStatements recordedStatements() {
			return new RecordedStatements();
		}

		@Bean
		HibernatePropertiesCustomizer recordStatements(RecordedStatements statements) {
			return (properties) -> properties.put("hibernate.session_factory.statement_inspector", statements);
		}

	}

	/** The last statements Hibernate sent that read a page of managed users. */
	static class RecordedStatements implements StatementInspector {

		private final ConcurrentLinkedDeque<String> pages = new ConcurrentLinkedDeque<>();

		@Override
		public String inspect(String sql) {
			String lower = sql.toLowerCase();
			if (lower.startsWith("select") && lower.contains(" from managed_user ") && lower.contains(" offset ")) {
				this.pages.addLast(sql);
				while (this.pages.size() > 10) {
					this.pages.pollFirst();
				}
			}
			return sql;
		}

		String lastPage() {
			assertThat(this.pages).as("a page of managed users was read").isNotEmpty();
			return this.pages.getLast();
		}

	}

}
