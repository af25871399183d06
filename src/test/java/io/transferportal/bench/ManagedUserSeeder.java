package io.transferportal.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * Adds managed users straight into the portal's tables ({@code managed_user},
 * {@code managed_user_check}, as the Flyway migrations define them) while the portal is
 * stopped: copies of one user the portal provisioned, under other names, every tenth with
 * a drifted session policy. They exist in the database only (the dashboard and the read
 * API never call AWS).
 */
final class ManagedUserSeeder {

	/** The database's user, which the benchmark gives the portal. */
	static final String USER = "bench";

	static final String PASSWORD = "bench";

	private ManagedUserSeeder() {
	}

	/** Active managed users in the database. */
	static int count(String jdbcUrl) throws SQLException {
		try (Connection connection = DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select count(*) from managed_user where status = 'ACTIVE'")) {
			rows.next();
			return rows.getInt(1);
		}
	}

	/** Adds this many users named {@code prefix}00001 and on. */
	static void seed(String jdbcUrl, int users, String prefix) throws SQLException {
		try (Connection connection = DriverManager.getConnection(jdbcUrl, USER, PASSWORD)) {
			connection.setAutoCommit(false);
			Template template = template(connection);
			OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
			try (PreparedStatement user = connection.prepareStatement(
					"insert into managed_user (server_id, user_name, status, spec, last_request_id, verified_at, "
							+ "created_at, updated_at, health, granted_by, grant_request_id, granted_at, ssh_key_count, "
							+ "oldest_key_imported_at, retire_keys) values (?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
					Statement.RETURN_GENERATED_KEYS);
					PreparedStatement check = connection.prepareStatement(
							"insert into managed_user_check (managed_user_id, resource, status, detail, checked_at) "
									+ "values (?, ?, ?, ?, ?)")) {
				for (int i = 1; i <= users; i++) {
					String name = prefix + String.format("%05d", i);
					boolean drift = i % 10 == 0;
					ObjectNode spec = (ObjectNode) PortalClient.JSON.readTree(template.spec());
					spec.put("userName", name);
					user.setString(1, template.serverId());
					user.setString(2, name);
					user.setString(3, PortalClient.JSON.writeValueAsString(spec));
					user.setLong(4, template.requestId());
					user.setObject(5, now);
					user.setObject(6, now);
					user.setObject(7, now);
					user.setString(8, drift ? "DRIFT" : "OK");
					user.setString(9, "api:bench-ticketing");
					user.setLong(10, template.requestId());
					user.setObject(11, now);
					user.setObject(12, now);
					user.setString(13, template.retireKeys());
					user.executeUpdate();
					long id;
					try (ResultSet keys = user.getGeneratedKeys()) {
						keys.next();
						id = keys.getLong(1);
					}
					for (String[] templateCheck : template.checks()) {
						boolean drifted = drift && "SESSION_POLICY".equals(templateCheck[0]);
						check.setLong(1, id);
						check.setString(2, templateCheck[0]);
						check.setString(3, drifted ? "DRIFT" : templateCheck[1]);
						check.setString(4,
								drifted ? "Session policy differs (seeded by the benchmark)" : templateCheck[2]);
						check.setObject(5, now);
						check.addBatch();
					}
					if (i % 500 == 0) {
						check.executeBatch();
						connection.commit();
					}
				}
				check.executeBatch();
				connection.commit();
			}
		}
	}

	private static Template template(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet user = statement
					.executeQuery("select id, server_id, spec, last_request_id, retire_keys from managed_user "
							+ "where status = 'ACTIVE' and health = 'OK' order by id fetch first 1 rows only")) {
			if (!user.next()) {
				throw new IllegalStateException("No verified managed user to copy");
			}
			long id = user.getLong(1);
			List<String[]> checks = new ArrayList<>();
			try (PreparedStatement select = connection.prepareStatement(
					"select resource, status, detail from managed_user_check where managed_user_id = ?")) {
				select.setLong(1, id);
				try (ResultSet rows = select.executeQuery()) {
					while (rows.next()) {
						checks.add(new String[] { rows.getString(1), rows.getString(2), rows.getString(3) });
					}
				}
			}
			return new Template(user.getString(2), user.getString(3), user.getLong(4), user.getString(5), checks);
		}
	}

	/**
	 * The user copied.
	 *
	 * @param retireKeys the column as the portal wrote it: its converter stores no list
	 * as the JSON text 'null', and reads an SQL NULL as an error
	 */
	private record Template(String serverId, String spec, long requestId, String retireKeys, List<String[]> checks) {

	}

}
