package io.transferportal.web;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.requests.Health;
import io.transferportal.requests.RequestStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** One colour scheme: each tone means the same for statuses, actions and health. */
class TonesTests {

	private final Tones tones = new Tones();

	@Test
	void goodStatesAreGreenStatesThatNeedAPersonAreAmberFailuresAreRed() {
		assertThat(this.tones.health(Health.OK)).isEqualTo("badge-ok")
			.isEqualTo(this.tones.status(RequestStatus.ACTIVE))
			.isEqualTo(this.tones.action(ChangeAction.CREATE));
		assertThat(this.tones.health(Health.DRIFT)).isEqualTo("badge-drift")
			.isEqualTo(this.tones.status(RequestStatus.NEEDS_REAPPROVAL))
			.isEqualTo(this.tones.action(ChangeAction.UPDATE));
		assertThat(this.tones.health(Health.MISSING)).isEqualTo("badge-missing")
			.isEqualTo(this.tones.status(RequestStatus.FAILED))
			.isEqualTo(this.tones.action(ChangeAction.DELETE));
		assertThat(this.tones.health(Health.ERROR)).isEqualTo("badge-error");
		assertThat(this.tones.health(Health.UNVERIFIED)).isEqualTo("badge-unverified")
			.isEqualTo(this.tones.status(RequestStatus.CANCELLED))
			.isEqualTo(this.tones.action(ChangeAction.NONE));
		assertThat(Arrays.stream(RequestStatus.values()).filter((s) -> this.tones.status(s).equals("badge-info")))
			.containsExactlyInAnyOrder(RequestStatus.PENDING_APPROVAL, RequestStatus.APPROVED,
					RequestStatus.PROVISIONING);
	}

	@Test
	void aCheckHasTheToneOfTheHealthOfTheSameName() {
		for (CheckStatus status : CheckStatus.values()) {
			assertThat(this.tones.check(status)).isEqualTo(this.tones.health(Health.valueOf(status.name())));
		}
	}

	@Test
	void onlyAnOkResultIsAnnouncedAsASuccess() {
		assertThat(Arrays.stream(Health.values()).filter((h) -> Tones.flash(h).equals("message")))
			.containsExactly(Health.OK);
		assertThat(Tones.flash(Health.DRIFT)).isEqualTo("warning");
		assertThat(Tones.flash(Health.MISSING)).isEqualTo("error");
	}

}
