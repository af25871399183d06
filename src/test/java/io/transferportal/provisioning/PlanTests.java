package io.transferportal.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a re-plan may run under an earlier approval: it writes nothing the approved plan
 * did not contain.
 */
class PlanTests {

	static final UserSpec SPEC = new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null,
			"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", List.of("ssh-ed25519 AAAA"),
			AccessLevel.READ_WRITE, null, Map.of());

	static final PlannedChange CREATE_ROLE = new PlannedChange(ResourceKind.ROLE, "arn:role", ChangeAction.CREATE, null,
			"{trust}", "Create role", List.of());

	static final PlannedChange CREATE_USER = new PlannedChange(ResourceKind.TRANSFER_USER, "arn:user",
			ChangeAction.CREATE, null, "{user}", "Create user", List.of());

	@Test
	void aReplanThatFindsSomeChangesAlreadyDoneIsWithinTheApproval() {
		Plan approved = plan(SPEC, CREATE_ROLE, CREATE_USER);
		Plan resumed = plan(SPEC, PlannedChange.none(ResourceKind.ROLE, "arn:role", "{trust}", "as required"),
				CREATE_USER);

		assertThat(resumed.isWithin(approved)).isTrue();
	}

	@Test
	void aReplanWithAChangeTheApprovalDidNotContainIsNot() {
		Plan approved = plan(SPEC, PlannedChange.none(ResourceKind.ROLE, "arn:role", "{trust}", "as required"),
				CREATE_USER);
		Plan drifted = plan(SPEC, new PlannedChange(ResourceKind.ROLE, "arn:role", ChangeAction.UPDATE, "{other}",
				"{trust}", "Repair trust", List.of()), CREATE_USER);
		Plan changedDocument = plan(SPEC, CREATE_ROLE, new PlannedChange(ResourceKind.TRANSFER_USER, "arn:user",
				ChangeAction.CREATE, null, "{another user}", "Create user", List.of()));

		assertThat(drifted.isWithin(approved)).isFalse();
		assertThat(changedDocument.isWithin(plan(SPEC, CREATE_ROLE, CREATE_USER))).isFalse();
	}

	@Test
	void anotherRequestOrAPlanWithProblemsIsNeverWithin() {
		Plan approved = plan(SPEC, CREATE_ROLE, CREATE_USER);
		UserSpec other = new UserSpec(SPEC.serverId(), "bob", SPEC.bucket(), null, SPEC.kmsKeyArn(),
				SPEC.sshPublicKeys(), SPEC.accessLevel(), null, Map.of());
		Plan withProblem = new Plan(Plan.Kind.PROVISION, SPEC, List.of(CREATE_ROLE, CREATE_USER),
				List.of(new PlanProblem(ResourceKind.BUCKET_ENCRYPTION, "another key")), "f");

		assertThat(plan(other, CREATE_ROLE, CREATE_USER).isWithin(approved)).isFalse();
		assertThat(withProblem.isWithin(approved)).isFalse();
	}

	/**
	 * CreateUser applied but its answer lost (or the run killed after it): the user holds
	 * the first key, and the import of the others is what is left. The approval of the
	 * creation covers that update to the very state it approved, and nothing else.
	 */
	@Test
	void completingAPartlyAppliedCreationIsWithinTheApproval() {
		Plan approved = plan(SPEC, CREATE_ROLE, CREATE_USER);
		PlannedChange importRest = new PlannedChange(ResourceKind.TRANSFER_USER, "arn:user", ChangeAction.UPDATE,
				"{user with the first key}", "{user}", "Update user: import 1 SSH key(s)", List.of());
		PlannedChange toAnotherState = new PlannedChange(ResourceKind.TRANSFER_USER, "arn:user", ChangeAction.UPDATE,
				"{user with the first key}", "{another user}", "Update user: role", List.of());
		PlannedChange onAnotherUser = new PlannedChange(ResourceKind.TRANSFER_USER, "arn:other", ChangeAction.UPDATE,
				"{user with the first key}", "{user}", "Update user: import 1 SSH key(s)", List.of());

		Set<ResourceKind> begun = Set.of(ResourceKind.ROLE, ResourceKind.TRANSFER_USER);
		assertThat(approved.covers(importRest, begun)).isTrue();
		assertThat(approved.covers(toAnotherState, begun)).isFalse();
		assertThat(approved.covers(onAnotherUser, begun)).isFalse();
		// an approved update is not widened: only a creation is completed
		Plan approvedUpdate = plan(SPEC, new PlannedChange(ResourceKind.TRANSFER_USER, "arn:user", ChangeAction.UPDATE,
				"{old}", "{user}", "Update user: home", List.of()));
		assertThat(approvedUpdate.covers(importRest, begun)).isFalse();
	}

	/**
	 * The same update on a user this request never began to write was made by someone
	 * else after approval (even tagged as the portal's): it needs a new approval.
	 */
	@Test
	void aCreationIsCompletedOnlyWhereTheRequestBeganToWrite() {
		Plan approved = plan(SPEC, CREATE_ROLE, CREATE_USER);
		PlannedChange importRest = new PlannedChange(ResourceKind.TRANSFER_USER, "arn:user", ChangeAction.UPDATE,
				"{user with the first key}", "{user}", "Update user: import 1 SSH key(s)", List.of());
		Plan replanned = plan(SPEC, CREATE_ROLE, importRest);

		assertThat(approved.covers(importRest)).isFalse();
		assertThat(approved.covers(importRest, Set.of(ResourceKind.ROLE))).isFalse();
		assertThat(replanned.isWithin(approved)).isFalse();
		assertThat(replanned.isWithin(approved, Set.of(ResourceKind.ROLE, ResourceKind.TRANSFER_USER))).isTrue();
	}

	/** Others edit the key policy, so its document never proves a creation completed. */
	@Test
	void aKeyPolicyIsNeverCompletedByDocument() {
		PlannedChange created = new PlannedChange(ResourceKind.KEY_POLICY, "arn:key", ChangeAction.CREATE, null,
				"{roles: [alice]}", "Allow role alice", List.of());
		PlannedChange update = new PlannedChange(ResourceKind.KEY_POLICY, "arn:key", ChangeAction.UPDATE,
				"{roles: [b]}", "{roles: [alice]}", "Allow role alice, remove b", List.of());

		assertThat(plan(SPEC, created).covers(update, Set.of(ResourceKind.KEY_POLICY))).isFalse();
	}

	@Test
	void keyPolicyChangesAreComparedByIntentNotByTheSharedDocument() {
		PlannedChange approvedKey = new PlannedChange(ResourceKind.KEY_POLICY, "arn:key", ChangeAction.UPDATE,
				"{roles: [a]}", "{roles: [a, alice]}", "Allow role alice in statement X", List.of());
		PlannedChange laterKey = new PlannedChange(ResourceKind.KEY_POLICY, "arn:key", ChangeAction.UPDATE,
				"{roles: [a, b]}", "{roles: [a, b, alice]}", "Allow role alice in statement X", List.of());

		assertThat(plan(SPEC, laterKey).isWithin(plan(SPEC, approvedKey))).isTrue();
	}

	static Plan plan(UserSpec spec, PlannedChange... changes) {
		return new Plan(Plan.Kind.PROVISION, spec, List.of(changes), List.of(), "fingerprint");
	}

}
