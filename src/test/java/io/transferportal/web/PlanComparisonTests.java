package io.transferportal.web;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;

import static org.assertj.core.api.Assertions.assertThat;

class PlanComparisonTests {

	static final UserSpec SPEC = new UserSpec("s-0123456789abcdef0", "ann", "bucket", null,
			"arn:aws:kms:eu-west-1:111122223333:key/k", List.of("ssh-ed25519 AAAA"), AccessLevel.READ_WRITE, null,
			Map.of());

	static final String BUCKET = "arn:aws:s3:::bucket";

	static final String ROLE = "arn:aws:iam::111122223333:role/ann";

	@Test
	void whenOnlyTheLiveStateOfOneResourceChangedThenOnlyItIsShownWithThenAndNow() {
		Plan approved = plan(PlannedChange.none(ResourceKind.BUCKET_ENCRYPTION, BUCKET, "{\n  \"alg\": \"aws:kms\"\n}",
				"Already encrypted with the key"), create());
		Plan current = plan(new PlannedChange(ResourceKind.BUCKET_ENCRYPTION, BUCKET, ChangeAction.UPDATE,
				"{\n  \"alg\": \"AES256\"\n}", "{\n  \"alg\": \"aws:kms\"\n}", "Encrypt with the key", List.of()),
				create());

		PlanComparison comparison = PlanComparison.between(approved, current);

		assertThat(comparison.resources()).singleElement().satisfies((r) -> {
			assertThat(r.resource()).isEqualTo(ResourceKind.BUCKET_ENCRYPTION.label());
			assertThat(r.approvedAction()).isEqualTo(ChangeAction.NONE);
			assertThat(r.currentAction()).isEqualTo(ChangeAction.UPDATE);
			assertThat(r.currentSummary()).isEqualTo("Encrypt with the key");
			assertThat(r.liveDiff()).extracting(PlanView.DiffLine::text)
				.contains("-  \"alg\": \"aws:kms\"", "+  \"alg\": \"AES256\"");
			assertThat(r.liveDiff()).filteredOn((line) -> line.kind().equals("del")).hasSize(1);
			assertThat(r.planDiff()).as("the plan writes the same document as before").isEmpty();
		});
	}

	@Test
	void whenAResourceIsOnlyInOnePlanThenItIsShownAsMissingFromTheOther() {
		Plan approved = plan(create());
		Plan current = plan();

		PlanComparison comparison = PlanComparison.between(approved, current);

		assertThat(comparison.resources()).singleElement().satisfies((r) -> {
			assertThat(r.approvedAction()).isEqualTo(ChangeAction.CREATE);
			assertThat(r.currentAction()).isNull();
			assertThat(r.currentSummary()).isNull();
			assertThat(r.planDiff()).extracting(PlanView.DiffLine::kind).containsOnly("ctx", "del");
		});
	}

	@Test
	void whenNothingDiffersThenNothingIsShown() {
		assertThat(PlanComparison.between(plan(create()), plan(create())).resources()).isEmpty();
	}

	private static PlannedChange create() {
		return new PlannedChange(ResourceKind.ROLE, ROLE, ChangeAction.CREATE, null, "{\n  \"role\": 1\n}",
				"Create the role", List.of());
	}

	private static Plan plan(PlannedChange... changes) {
		return new Plan(Plan.Kind.PROVISION, SPEC, List.of(changes), List.of(), "f");
	}

}
