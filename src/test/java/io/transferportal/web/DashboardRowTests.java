package io.transferportal.web;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.Health;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.ManagedUserView.Lifecycle;
import io.transferportal.web.LifecycleBadges.Badge;

import static org.assertj.core.api.Assertions.assertThat;

/** What a dashboard row shows, worked out without rendering a page. */
class DashboardRowTests {

	static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	final Tones tones = new Tones();

	final Times times = new Times(new WebProperties(ZoneId.of("Europe/Berlin")));

	@Test
	void anActiveVerifiedUserShowsItsChecksKeyIdAndTimes() {
		Instant verified = Instant.parse("2026-12-02T16:10:42.5Z");
		ManagedUserView user = user("alice", true, KEY_ARN, AccessLevel.READ_ONLY,
				List.of(new Check(ResourceKind.KEY_POLICY, CheckStatus.OK, "fine"),
						new Check(ResourceKind.SESSION_POLICY, CheckStatus.DRIFT, "changed")),
				Health.DRIFT, verified,
				new Lifecycle(null, false, null, null, null, 0, 2, true, null, null, null, null, null, false));
		DashboardRow row = DashboardRow.of(user, this.tones, this.times);
		assertThat(row.key()).isEqualTo("s-0123456789abcdef0/alice");
		assertThat(row.href()).isEqualTo("/users/s-0123456789abcdef0/alice");
		assertThat(row.healthTone()).isEqualTo("badge-drift");
		assertThat(row.checks()).containsExactly(new DashboardRow.Check("KMS key policy: OK", "badge-ok"),
				new DashboardRow.Check("Session policy: DRIFT", "badge-drift"));
		assertThat(row.unverified()).isFalse();
		assertThat(row.access()).isEqualTo("Read only");
		assertThat(row.keyId()).isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
		assertThat(row.sshKeys()).isEqualTo("2");
		assertThat(row.badges()).containsExactly(new Badge("Rotation due", "drift"));
		assertThat(row.verifiedLocal()).isEqualTo("2026-12-02 17:10 CET");
		assertThat(row.verifiedUtc()).isEqualTo("2026-12-02T16:10:42Z");
	}

	@Test
	void aUserNeverVerifiedSaysSo() {
		ManagedUserView user = user("bob", true, "arn:aws:kms:eu-west-1:123456789012:alias/shared",
				AccessLevel.READ_WRITE, List.of(), Health.UNVERIFIED, null, Lifecycle.NONE);
		DashboardRow row = DashboardRow.of(user, this.tones, this.times);
		assertThat(row.unverified()).isTrue();
		assertThat(row.checks()).isEmpty();
		assertThat(row.healthTone()).isEqualTo("badge-unverified");
		assertThat(row.keyId()).as("an alias ARN shows whole")
			.isEqualTo("arn:aws:kms:eu-west-1:123456789012:alias/shared");
		assertThat(row.access()).isEqualTo("Read and write");
		assertThat(row.sshKeys()).isEqualTo("Not counted yet");
		assertThat(row.verifiedLocal()).isNull();
		assertThat(row.verifiedUtc()).isNull();
	}

	@Test
	void aDeprovisionedUserShowsNoHealthNorChecks() {
		ManagedUserView user = user("carol", false, KEY_ARN, AccessLevel.READ_WRITE,
				List.of(new Check(ResourceKind.ROLE, CheckStatus.OK, "fine")), Health.OK, Instant.EPOCH,
				Lifecycle.NONE);
		DashboardRow row = DashboardRow.of(user, this.tones, this.times);
		assertThat(row.healthTone()).isNull();
		assertThat(row.checks()).isEmpty();
		assertThat(row.unverified()).isFalse();
	}

	@Test
	void theLinkEncodesWhatAPathSegmentCannotHold() {
		ManagedUserView user = user("d@v e", true, KEY_ARN, AccessLevel.READ_WRITE, List.of(), Health.OK, null,
				Lifecycle.NONE);
		assertThat(DashboardRow.of(user, this.tones, this.times).href())
			.isEqualTo("/users/s-0123456789abcdef0/d@v%20e");
	}

	static ManagedUserView user(String name, boolean active, String keyArn, AccessLevel access, List<Check> checks,
			Health health, Instant verifiedAt, Lifecycle lifecycle) {
		UserSpec spec = new UserSpec("s-0123456789abcdef0", name, "bucket", null, keyArn, List.of(), access, null,
				Map.of());
		return new ManagedUserView(spec.serverId(), name, active, spec, checks, health, verifiedAt, null, lifecycle);
	}

}
