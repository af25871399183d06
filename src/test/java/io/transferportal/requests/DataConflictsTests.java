package io.transferportal.requests;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;

class DataConflictsTests {

	@Test
	void aUniqueKeyTakenFirstIsAConflict() {
		assertThat(DataConflicts.isConflict(refused("23505"))).isTrue();
		assertThat(DataConflicts.isConflict(refused("23503"))).isTrue();
	}

	@Test
	void aValueLongerThanItsColumnIsNoConflict() {
		// H2 and PostgreSQL: 22001, string data, right truncation
		assertThat(DataConflicts.isConflict(refused("22001"))).isFalse();
		assertThat(DataConflicts.isConflict(refused("22P02"))).isFalse();
	}

	@Test
	void aLockOrVersionLostIsAConflict() {
		assertThat(DataConflicts.isConflict(new PessimisticLockingFailureException("lock timeout"))).isTrue();
	}

	@Test
	void withoutAStateSpringsClassificationStands() {
		assertThat(DataConflicts.isConflict(new DataIntegrityViolationException("refused"))).isTrue();
	}

	private static DataIntegrityViolationException refused(String state) {
		return new DataIntegrityViolationException("refused",
				new RuntimeException("wrapped", new SQLException("refused", state)));
	}

}
