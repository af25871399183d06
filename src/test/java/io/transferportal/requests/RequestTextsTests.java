package io.transferportal.requests;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.FieldViolation;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTextsTests {

	@Test
	void aCommentTakesLinesAndTabsUpToTwoThousandCharactersAndNoOtherControlCharacter() {
		assertThat(RequestTexts.comment("reason", "two\nlines\tand a tab\r\n")).isEmpty();
		assertThat(RequestTexts.comment("reason", "x".repeat(2000))).isEmpty();
		assertThat(RequestTexts.comment("reason", null)).isEmpty();
		assertThat(RequestTexts.comment("reason", "x".repeat(2001)))
			.containsExactly(new FieldViolation("reason", "must be at most 2000 characters"));
		assertThat(RequestTexts.comment("comment", "bell \u0007"))
			.containsExactly(new FieldViolation("comment", "must not contain control characters"));
	}

	@Test
	void aTicketIsOneLineOfAtMostOneHundredCharacters() {
		assertThat(RequestTexts.ticketRef("CHG-1")).isEmpty();
		assertThat(RequestTexts.ticketRef("T".repeat(101)))
			.containsExactly(new FieldViolation("ticketRef", "must be at most 100 characters"));
		assertThat(RequestTexts.ticketRef("CHG\n1"))
			.containsExactly(new FieldViolation("ticketRef", "must not contain control characters"));
	}

}
