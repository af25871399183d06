package io.transferportal.requests;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.ItemPlan;
import io.transferportal.provisioning.UserSpec;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRulesTests {

	private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

	@Test
	void everyItemIsValidatedAndEveryErrorKeepsItsIndex() {
		List<BatchItem> items = List.of(item("anna", null), item("", null),
				new BatchItem(spec("cleo", null), NOW.minusSeconds(1)));
		List<BatchViolation> violations = BatchRules
			.withinBatch(
					items, NOW, (spec) -> spec.userName().isEmpty()
							? List.of(new FieldViolation("userName", "is required")) : List.of(),
					(spec, others) -> List.of());
		assertThat(violations).containsExactly(new BatchViolation(1, "userName", "is required"),
				new BatchViolation(2, "expiresAt", "must be in the future (it is 2026-06-01T09:59:59Z)"));
	}

	@Test
	void aUserAskedForTwiceIsRefusedAtItsSecondItem() {
		List<BatchViolation> violations = BatchRules.withinBatch(List.of(item("anna", "a"), item("anna", "b")), NOW,
				(spec) -> List.of(), (spec, others) -> List.of());
		assertThat(violations).singleElement().satisfies((violation) -> {
			assertThat(violation.index()).isEqualTo(1);
			assertThat(violation.field()).isEqualTo("userName");
			assertThat(violation.message()).contains("twice", "item 0");
		});
	}

	@Test
	void overlapsAreLookedForAmongTheOtherWellFormedItemsOnly() {
		List<BatchItem> items = List.of(item("anna", "p"), item("bert", "p/b"), item("x", "p/x"));
		List<BatchViolation> violations = BatchRules.withinBatch(items, NOW,
				(spec) -> (spec.userName().length() < 3) ? List.of(new FieldViolation("userName", "too short"))
						: List.of(),
				(spec, others) -> others.stream()
					.filter((other) -> other.effectiveHomePrefix().startsWith(spec.effectiveHomePrefix() + "/")
							|| spec.effectiveHomePrefix().startsWith(other.effectiveHomePrefix() + "/"))
					.map((other) -> new FieldViolation("homePrefix", "overlaps " + other.userName()))
					.toList());
		assertThat(violations).containsExactly(new BatchViolation(2, "userName", "too short"),
				new BatchViolation(0, "homePrefix", "overlaps bert (in this batch)"),
				new BatchViolation(1, "homePrefix", "overlaps anna (in this batch)"));
		assertThat(BatchRules.ordered(violations)).extracting(BatchViolation::index).containsExactly(0, 1, 2);
	}

	@Test
	void itemsThatCouldNotBePlannedKeepTheEnginesViolations() {
		List<BatchViolation> violations = BatchRules
			.planViolations(List.of(new ItemPlan(null, List.of(new FieldViolation("kmsKeyArn", "no such key"))),
					new ItemPlan(null, List.of())));
		assertThat(violations).containsExactly(new BatchViolation(0, "kmsKeyArn", "no such key"));
	}

	private static BatchItem item(String user, String homePrefix) {
		return new BatchItem(spec(user, homePrefix), null);
	}

	private static UserSpec spec(String user, String homePrefix) {
		return new UserSpec("s-0123456789abcdef0", user, "bucket", homePrefix,
				"arn:aws:kms:us-east-1:123456789012:key/k", List.of("ssh-ed25519 AAAA"), AccessLevel.READ_WRITE, null,
				null);
	}

}
