package io.transferportal.web;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.requests.Health;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.ManagedUserView.Lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's rows as HTML: rendered by the template the dashboard uses, kept for the
 * same users and rendered again for users that changed, escaped, and bounded.
 */
class DashboardRowsTests {

	final DashboardRows rows = new DashboardRows(engine(), new Tones(),
			new Times(new WebProperties(ZoneId.of("Europe/Berlin"))));

	@Test
	void theSameUsersGetTheRowsRenderedForThemBefore() {
		List<ManagedUserView> page = List.of(drifted("alice"), drifted("bob"));
		String html = this.rows.html(page, false, "");
		assertThat(html).contains("href=\"/users/s-0123456789abcdef0/alice\"", "id=\"tick-1\"", "Session policy: DRIFT",
				"2026-12-02 17:10 CET");
		assertThat(this.rows.html(new ArrayList<>(page), false, "")).as("kept by the users, not by the list")
			.isSameAs(html);
	}

	@Test
	void aUserWhoseChecksChangedGetsRowsOfItsOwn() {
		String drifted = this.rows.html(List.of(drifted("alice")), false, "");
		ManagedUserView repaired = DashboardRowTests.user("alice", true, DashboardRowTests.KEY_ARN,
				AccessLevel.READ_WRITE, List.of(new Check(ResourceKind.SESSION_POLICY, CheckStatus.OK, "fine")),
				Health.OK, Instant.parse("2026-12-02T16:20:00Z"), Lifecycle.NONE);
		String html = this.rows.html(List.of(repaired), false, "");
		assertThat(html).isNotEqualTo(drifted).contains("Session policy: OK").doesNotContain("DRIFT");
	}

	@Test
	void deprovisionedUsersHaveNoTickBoxesAndLinksCarryTheContextPath() {
		ManagedUserView gone = DashboardRowTests.user("carol", false, DashboardRowTests.KEY_ARN, AccessLevel.READ_WRITE,
				List.of(), Health.OK, null, Lifecycle.NONE);
		String html = this.rows.html(List.of(gone), true, "/portal");
		assertThat(html).doesNotContain("type=\"checkbox\"")
			.contains("Deprovisioned", "href=\"/portal/users/s-0123456789abcdef0/carol\"");
		assertThat(this.rows.html(List.of(gone), false, "/portal")).contains("type=\"checkbox\"");
	}

	@Test
	void whatAUserNameHoldsIsEscaped() {
		String html = this.rows.html(List.of(drifted("<b>x</b>")), false, "");
		assertThat(html).contains("&lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x</b>");
	}

	@Test
	void keptRowsHoldAtMostTheirNumberOfCharacters() {
		List<ManagedUserView> users = IntStream.range(0, 50).mapToObj((i) -> drifted("user-" + i)).toList();
		int pageChars = this.rows.html(users, false, "").length();
		long pages = DashboardRows.MAX_KEPT_CHARS / pageChars * 2;
		for (int page = 0; page < pages; page++) {
			int number = page;
			this.rows.html(users.stream().map((user) -> drifted(number + "-" + user.userName())).toList(), false, "");
		}
		assertThat(this.rows.keptChars()).isPositive().isLessThanOrEqualTo(DashboardRows.MAX_KEPT_CHARS);
	}

	private static ManagedUserView drifted(String name) {
		return DashboardRowTests.user(name, true, DashboardRowTests.KEY_ARN, AccessLevel.READ_WRITE,
				List.of(new Check(ResourceKind.KEY_POLICY, CheckStatus.OK, "fine"),
						new Check(ResourceKind.SESSION_POLICY, CheckStatus.DRIFT, "changed")),
				Health.DRIFT, Instant.parse("2026-12-02T16:10:42Z"), Lifecycle.NONE);
	}

	/** The portal's templates from the class path, as Spring Boot resolves them. */
	private static SpringTemplateEngine engine() {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("templates/");
		resolver.setSuffix(".html");
		resolver.setTemplateMode(TemplateMode.HTML);
		SpringTemplateEngine engine = new SpringTemplateEngine();
		engine.setTemplateResolver(resolver);
		engine.setEnableSpringELCompiler(true);
		return engine;
	}

}
