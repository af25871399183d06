package io.transferportal.provisioning.transfer;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;
import io.transferportal.provisioning.transfer.HomeFolder.Live;
import io.transferportal.provisioning.transfer.HomeFolder.Work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** The folder marker rules as plain functions of the request and what was read. */
class HomeFolderTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	HomeFolder resource = new HomeFolder(mock(), mock());

	Target target = TestTargets.resolve(new UserSpec("s-0123456789abcdef0", "alice", "payments-inbox", "partners/alice",
			KEY, List.of(), AccessLevel.READ_ONLY, null, Map.of()));

	@Test
	void aMissingMarkerOnAServerWithoutListingOptimisationIsCreated() {
		Decision<Work> decision = this.resource.decide(this.target, new Live(false, false, false));

		assertThat(decision.work()).isEqualTo(Work.PUT_MARKER);
		PlannedChange change = decision.changes().get(0);
		assertThat(change.action()).isEqualTo(ChangeAction.CREATE);
		assertThat(change.resourceArn()).isEqualTo("arn:aws:s3:::payments-inbox/partners/alice/");
		assertThat(change.summary()).startsWith("Create folder marker s3://payments-inbox/partners/alice/");
		assertThat(change.warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("enable S3 directory listing optimisation"));
	}

	@Test
	void anExistingMarkerOrListingOptimisationNeedsNoWrite() {
		assertThat(this.resource.decide(this.target, new Live(false, true, false)).writes()).isFalse();
		Decision<Work> optimised = this.resource.decide(this.target, new Live(true, false, false));
		assertThat(optimised.writes()).isFalse();
		assertThat(optimised.changes().get(0).summary()).contains("uses S3 directory listing optimisation");
	}

	@Test
	void aMarkerThePortalMayNotReadIsWrittenWithAWarning() {
		Decision<Work> decision = this.resource.decide(this.target, new Live(false, false, true));

		assertThat(decision.work()).isEqualTo(Work.PUT_MARKER);
		assertThat(decision.changes().get(0).warnings()).first()
			.satisfies((warning) -> assertThat(warning).contains("HeadObject was denied", "it writes it"));
	}

	@Test
	void theMarkerIsNeverDeleted() {
		assertThat(this.resource.decideRemoval(this.target, new Live(false, true, false), Sharing.NONE).writes())
			.isFalse();
		assertThat(this.resource.decideRemoval(this.target, null, Sharing.NONE).changes().get(0).summary())
			.contains("kept with the user's files");
	}

}
