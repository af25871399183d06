package io.transferportal.provisioning.core;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tags are set and which removed, as plain functions. */
class TagsTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	@Test
	void aChangeRemovesOnlyTagsThePortalSetBeforeAndNoLongerAsksFor() {
		Map<String, String> previous = Map.of("cost-center", "4711", "team", "payments", "project", "x");
		Map<String, String> desired = Map.of("team", "billing");

		assertThat(Tags.removable(previous, desired)).containsExactly("cost-center", "project");
	}

	@Test
	void thePortalsOwnTagsAreNeverRemovable() {
		Map<String, String> previous = Map.of(Target.MANAGED_TAG, Target.MANAGED_TAG_VALUE, "transfer-portal:user",
				"alice", "transfer-portal:anything", "x", "cost-center", "4711");

		assertThat(Tags.removable(previous, Map.of())).containsExactly("cost-center");
		assertThat(
				Tags.toRemove(List.of(Target.MANAGED_TAG, "transfer-portal:user", "cost-center"), Map.of(), previous))
			.containsExactly("cost-center");
		assertThat(Tags.isPortalOwn(Target.MANAGED_TAG)).isTrue();
		assertThat(Tags.isPortalOwn("transfer-portal:server")).isTrue();
		assertThat(Tags.isPortalOwn("transfer-portal")).isFalse();
	}

	@Test
	void onlyRemovableTagsTheResourceStillHasAreRemovedAndNeverADesiredOne() {
		Map<String, String> live = Map.of("cost-center", "4711", "backup", "daily", "team", "payments");

		assertThat(Tags.toRemove(List.of("project", "cost-center", "team"), Map.of("team", "billing"), live))
			.as("project is gone already; team is asked for again")
			.containsExactly("cost-center");
	}

	@Test
	void afterARemovalTheResourceKeepsTagsOthersAddedAndGetsTheDesiredOnes() {
		Map<String, String> live = Map.of("cost-center", "4711", "backup", "daily", "team", "payments");

		assertThat(Tags.after(Map.of("team", "billing"), live, List.of("cost-center")))
			.containsExactly(Map.entry("backup", "daily"), Map.entry("team", "billing"));
		assertThat(Tags.describeRemoval(List.of("cost-center"))).isEqualTo("remove tag cost-center");
		assertThat(Tags.describeRemoval(List.of("a", "b"))).isEqualTo("remove tags a, b");
	}

	@Test
	void aChangesTargetCarriesTheRemovedKeysAndAPlainTargetNone() {
		UserSpec before = spec(Map.of("cost-center", "4711", "team", "payments"));
		UserSpec after = spec(Map.of("team", "billing"));

		assertThat(TestTargets.resolveChange(before, after).removedTagKeys()).containsExactly("cost-center");
		assertThat(TestTargets.resolve(after).removedTagKeys()).isEmpty();
		assertThat(TestTargets.resolveChange(after, before).removedTagKeys()).as("adding tags removes nothing")
			.isEmpty();
	}

	private static UserSpec spec(Map<String, String> tags) {
		return new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", null, KEY, List.of(),
				AccessLevel.READ_WRITE, null, tags);
	}

}
