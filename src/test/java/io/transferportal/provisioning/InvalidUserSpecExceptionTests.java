package io.transferportal.provisioning;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidUserSpecExceptionTests {

	@Test
	void theMessageNamesEachFieldAndWhatIsWrongWithIt() {
		InvalidUserSpecException ex = new InvalidUserSpecException(List
			.of(new FieldViolation("bucket", "does not exist"), new FieldViolation("userName", "is too short")));

		// what a failed run records as its failure, and what a log line says
		assertThat(ex.getMessage())
			.isEqualTo("Invalid Transfer user request: bucket does not exist; userName is too short");
	}

}
