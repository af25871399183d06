package io.transferportal.requests;

import java.sql.SQLException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Tells a write that lost a race (a unique key another transaction took first, a lock or
 * a version another one held) from a write the database refused for its data. Spring
 * turns both into a {@link DataIntegrityViolationException}; only the first is a conflict
 * to report to the caller. A value longer than its column (SQLSTATE class 22, data
 * exception) is the portal's own fault, never someone else's change: the columns hold
 * everything the portal accepts, so it is not the caller's either.
 */
public final class DataConflicts {

	/**
	 * SQLSTATE class 23, integrity constraint violation (ISO/IEC 9075, used alike by H2
	 * and PostgreSQL: 23505 unique, 23503 foreign key).
	 */
	private static final String INTEGRITY_CONSTRAINT_VIOLATION = "23";

	private DataConflicts() {
	}

	/** Whether the failure is a concurrent write of the same data. */
	public static boolean isConflict(DataAccessException ex) {
		if (ex instanceof ConcurrencyFailureException) {
			return true;
		}
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		String state = (cause instanceof SQLException sql) ? sql.getSQLState() : null;
		// without a SQLSTATE (no driver exception underneath) Spring's classification
		// stands
		return (state == null) || state.startsWith(INTEGRITY_CONSTRAINT_VIOLATION);
	}

}
