package io.transferportal.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import io.transferportal.requests.ManagedUserView;

/**
 * The rows of the dashboard's table as HTML, rendered once for a page of users and kept
 * while the same users, with the same checks and states, show on it. Rendering fifty rows
 * of badges was most of a dashboard page's time once its users were kept
 * ({@code ManagedUserSearches}), while the same pages show again and again; nothing in a
 * row depends on who looks (no form token, no role), so the rows are the same text for
 * everyone. Kept by what they show, the users themselves: a page whose users changed is
 * another key, never a stale one.
 */
@Component
class DashboardRows {

	/**
	 * Characters of HTML kept at most, all pages together: about two hundred pages of 50
	 * users (a row is about 1,500 characters).
	 */
	static final long MAX_KEPT_CHARS = 16L * 1024 * 1024;

	/** How long rows nobody asked for are kept. */
	static final Duration IDLE = Duration.ofMinutes(10);

	private final ITemplateEngine templates;

	private final Tones tones;

	private final Times times;

	private final Cache<Rows, String> rendered;

	DashboardRows(ITemplateEngine templates, Tones tones, Times times) {
		this.templates = templates;
		this.tones = tones;
		this.times = times;
		this.rendered = Caffeine.newBuilder()
			.maximumWeight(MAX_KEPT_CHARS)
			// evicts in the reading thread: no pool thread holds rows past the bound
			.executor(Runnable::run)
			.<Rows, String>weigher((rows, html) -> html.length())
			.expireAfterAccess(IDLE)
			.build();
	}

	/**
	 * The rows of these users.
	 * @param users the page's users
	 * @param deprovisioned whether they are users the portal removed (no tick boxes)
	 * @param base the portal's context path, before every link
	 */
	String html(List<ManagedUserView> users, boolean deprovisioned, String base) {
		return this.rendered.get(new Rows(List.copyOf(users), deprovisioned, base), this::render);
	}

	/** How many characters the kept rows hold (for tests). */
	long keptChars() {
		this.rendered.cleanUp();
		return this.rendered.policy().eviction().orElseThrow().weightedSize().orElseThrow();
	}

	private String render(Rows rows) {
		Context context = new Context(Locale.ROOT);
		context.setVariable("rows",
				rows.users().stream().map((user) -> DashboardRow.of(user, this.tones, this.times)).toList());
		context.setVariable("deprovisioned", rows.deprovisioned());
		context.setVariable("base", rows.base());
		return this.templates.process("dashboard/rows", Set.of("rows"), context);
	}

	private record Rows(List<ManagedUserView> users, boolean deprovisioned, String base) {
	}

}
