package io.transferportal.web;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.requests.BatchViolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class BatchCsvTests {

	private static final String HEADER = "serverId,userName,bucket,homePrefix,kmsKeyArn,sshPublicKeys,accessLevel,roleArn,expiresAt,tags\n";

	@Test
	void theTemplateReadsBackAsOneValidLookingRow() {
		BatchCsv.Parsed parsed = BatchCsv.parse(BatchCsv.template());
		assertThat(parsed.violations()).isEmpty();
		assertThat(parsed.items()).singleElement().satisfies((item) -> {
			assertThat(item.spec().userName()).isEqualTo("partner-acme");
			assertThat(item.spec().sshPublicKeys()).hasSize(2);
			assertThat(item.spec().tags()).isEqualTo(Map.of("cost-center", "4711", "team", "partners"));
			assertThat(item.spec().accessLevel()).isEqualTo(AccessLevel.READ_WRITE);
			assertThat(item.expiresAt()).isEqualTo(Instant.parse("2027-04-01T00:00:00Z"));
		});
	}

	@Test
	void everyRowsUnreadableValuesAreFieldErrorsOfThatRow() {
		String csv = HEADER + "s-1,anna,b,,arn:k,key-a,READ_ONLY,,,\n"
				+ "s-1,bert,b,,arn:k,key-b,SOMETIMES,,31.12.2027,nokey\n";
		BatchCsv.Parsed parsed = BatchCsv.parse(csv);
		assertThat(parsed.items()).hasSize(2);
		assertThat(parsed.items().get(0).spec().accessLevel()).isEqualTo(AccessLevel.READ_ONLY);
		assertThat(parsed.violations()).extracting(BatchViolation::index, BatchViolation::field)
			.containsExactly(tuple(1, "accessLevel"), tuple(1, "tags"), tuple(1, "expiresAt"));
	}

	@Test
	void aHeaderWithUnknownOrMissingColumnsIsAnErrorOfTheFile() {
		BatchCsv.Parsed parsed = BatchCsv.parse("serverId,user,bucket\ns-1,anna,b\n");
		assertThat(parsed.items()).isEmpty();
		assertThat(parsed.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.index()).isEqualTo(-1);
			assertThat(violation.message()).contains("unknown: user", "missing: userName, kmsKeyArn, sshPublicKeys");
		});
		assertThat(BatchCsv.parse(" ").violations()).singleElement()
			.satisfies((violation) -> assertThat(violation.message()).startsWith("is empty"));
	}

}
