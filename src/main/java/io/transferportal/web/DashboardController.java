package io.transferportal.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.Health;
import io.transferportal.requests.LifecycleState;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotAllowedException;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.UserKey;

/**
 * The status of every managed Transfer user: counts by health and by state of life, and
 * one page of users, read from the database only (no AWS call), so the page stays fast
 * with many thousands of users.
 */
@Controller
class DashboardController {

	static final int DEFAULT_SIZE = 50;

	static final int MAX_SIZE = 200;

	static final int MAX_PAGE = Pages.MAX_PAGE;

	static final String DEPROVISIONED = "deprovisioned";

	/** The query parameters of a dashboard view, kept across its bulk actions. */
	static final List<String> VIEW_PARAMS = List.of("q", "health", "lifecycle", "show", "sort", "dir", "page", "size");

	/** Rows fetched per database page while writing the CSV export. */
	static final int EXPORT_CHUNK = 500;

	private final AccessRequestManagement requests;

	private final DashboardRows rows;

	DashboardController(AccessRequestManagement requests, DashboardRows rows) {
		this.requests = requests;
		this.rows = rows;
	}

	/**
	 * The dashboard: counts by health and by state of life, and a page of managed users.
	 * @param q part of a server id or user name
	 * @param health only users of this health; empty for all
	 * @param lifecycle only users in this state of their life; empty for all
	 * @param show {@code deprovisioned} for the users the portal removed; active users
	 * otherwise
	 * @param sort {@code user} (the default), {@code health} or {@code verified}
	 * @param dir {@code asc} (the default) or {@code desc}
	 * @param page 1-based page number
	 * @param size rows per page, at most {@link #MAX_SIZE}
	 */
	@GetMapping("/dashboard")
	String status(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable Health health,
			@RequestParam(required = false) @Nullable LifecycleState lifecycle,
			@RequestParam(required = false) @Nullable String show,
			@RequestParam(required = false) @Nullable String sort, @RequestParam(required = false) @Nullable String dir,
			@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "" + DEFAULT_SIZE) int size,
			HttpServletRequest request, Model model) {
		String text = q;
		boolean deprovisioned = DEPROVISIONED.equals(show);
		UserOrder order = UserOrder.of(sort, dir);
		Pageable pageable = PageRequest.of(Math.min(Math.max(page, 1), MAX_PAGE) - 1,
				Math.min(Math.max(size, 1), MAX_SIZE), order.sort());
		Page<ManagedUserView> users = deprovisioned ? this.requests.deprovisionedUsers(text, pageable)
				: this.requests.managedUsers(text, health, lifecycle, pageable);
		Map<Health, Long> counts = this.requests.healthCounts();
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		model.addAttribute("users", users);
		model.addAttribute("rows", this.rows.html(users.getContent(), deprovisioned, request.getContextPath()));
		model.addAttribute("counts", counts);
		model.addAttribute("total", total);
		model.addAttribute("healths", Health.values());
		model.addAttribute("lifecycleCounts", this.requests.lifecycleCounts());
		model.addAttribute("lifecycles", LifecycleState.values());
		model.addAttribute("q", (text != null) ? text : "");
		model.addAttribute("health", deprovisioned ? null : health);
		model.addAttribute("lifecycle", deprovisioned ? null : lifecycle);
		model.addAttribute("show", deprovisioned ? DEPROVISIONED : null);
		model.addAttribute("order", order);
		model.addAttribute("size", pageable.getPageSize());
		model.addAttribute("view",
				new DashboardView((text != null) ? text.strip() : null, deprovisioned ? null : health,
						deprovisioned ? null : lifecycle, deprovisioned ? DEPROVISIONED : null, order,
						pageable.getPageSize()));
		model.addAttribute("maxSelected", AccessRequestManagement.MAX_SELECTED);
		return "dashboard/status";
	}

	/**
	 * Verifies the users ticked on the dashboard now, or asks for a repair of each (a
	 * request per user, each approved as usual); then back to the same page of the
	 * dashboard.
	 * @param users {@code serverId/userName} of each user ticked
	 * @param action {@code verify} or {@code repair}
	 */
	@PostMapping("/dashboard/selected")
	String selected(@RequestParam(name = "users", required = false) @Nullable List<String> users,
			@RequestParam String action, @RequestParam(required = false) @Nullable String ticketRef,
			@RequestParam Map<String, String> params, Authentication authentication, RedirectAttributes redirect) {
		keepView(params, redirect);
		// a value that names no user (not server/name) is left out, as is a user not
		// managed
		List<UserKey> keys = (users != null)
				? users.stream().map(DashboardController::key).flatMap(Optional::stream).distinct().toList()
				: List.of();
		if (keys.isEmpty()) {
			redirect.addFlashAttribute("warning", "Tick the users to act on first; nothing was done.");
			return "redirect:/dashboard";
		}
		if (keys.size() > AccessRequestManagement.MAX_SELECTED) {
			redirect.addFlashAttribute("error", "Tick at most " + AccessRequestManagement.MAX_SELECTED
					+ " users at once (" + keys.size() + " were ticked); nothing was done.");
			return "redirect:/dashboard";
		}
		Actor actor = SignedIn.actor(authentication);
		switch (action) {
			case "verify" -> verified(this.requests.verify(keys, actor), keys.size(), redirect);
			case "repair" -> repaired(keys, ticketRef, actor, redirect);
			default -> redirect.addFlashAttribute("error", "Unknown action; nothing was done.");
		}
		return "redirect:/dashboard";
	}

	/** Asks for the verification sweep to run now; the results arrive as it goes. */
	@PostMapping("/dashboard/verify-all")
	String verifyAll(@RequestParam Map<String, String> params, Authentication authentication,
			RedirectAttributes redirect) {
		this.requests.verifyEveryoneSoon(SignedIn.actor(authentication));
		keepView(params, redirect);
		redirect.addFlashAttribute("message",
				"Verifying every managed user now, in the background: reload the dashboard to see the results.");
		return "redirect:/dashboard";
	}

	private static void verified(List<ManagedUserView> users, int asked, RedirectAttributes redirect) {
		Map<Health, Long> byHealth = new EnumMap<>(Health.class);
		users.forEach((user) -> byHealth.merge(user.health(), 1L, Long::sum));
		// the worst health decides how the result is announced
		Health worst = byHealth.keySet()
			.stream()
			.max(Comparator.comparingInt(DashboardController::severity))
			.orElse(Health.UNVERIFIED);
		StringBuilder message = new StringBuilder("Verified ").append(users.size()).append(" user(s): ");
		message.append(byHealth.entrySet()
			.stream()
			.map((entry) -> entry.getValue() + " " + entry.getKey())
			.collect(Collectors.joining(", ")));
		if (users.size() < asked) {
			message.append("; ").append(asked - users.size()).append(" not managed any more");
		}
		redirect.addFlashAttribute(Tones.flash(worst), message.append('.').toString());
	}

	private void repaired(List<UserKey> keys, @Nullable String ticketRef, Actor actor, RedirectAttributes redirect) {
		List<String> requested = new ArrayList<>();
		List<String> refused = new ArrayList<>();
		for (UserKey key : keys) {
			try {
				requested.add("#" + this.requests.submitRepair(key.serverId(), key.userName(), ticketRef, actor).id());
			}
			catch (RequestNotAllowedException ex) {
				// the same for every user: say it once
				redirect.addFlashAttribute("error", ex.getMessage());
				return;
			}
			catch (RequestConflictException | RequestNotFoundException | PlanNotApplicableException
					| ProvisioningException ex) {
				// this user only (an open request, a failed read): the others still go
				refused.add(key.userName() + " on " + key.serverId() + ": " + ex.getMessage());
			}
		}
		if (!requested.isEmpty()) {
			redirect.addFlashAttribute("message", "Repair requested for " + requested.size() + " user(s) (requests "
					+ String.join(", ", requested) + "); each needs approval.");
		}
		if (!refused.isEmpty()) {
			redirect.addFlashAttribute("error",
					"No repair for " + refused.size() + " user(s): " + String.join("; ", refused));
		}
	}

	private static int severity(Health health) {
		return switch (health) {
			case OK -> 0;
			case UNVERIFIED -> 1;
			case DRIFT -> 2;
			case MISSING -> 3;
			case ERROR -> 4;
		};
	}

	/** {@code serverId/userName}: a Transfer user name holds no slash. */
	private static Optional<UserKey> key(String value) {
		int slash = value.indexOf('/');
		if (slash <= 0 || slash == value.length() - 1) {
			return Optional.empty();
		}
		return Optional.of(new UserKey(value.substring(0, slash), value.substring(slash + 1)));
	}

	/** Back to the same filters, order and page; the values are encoded on redirect. */
	private static void keepView(Map<String, String> params, RedirectAttributes redirect) {
		for (String name : VIEW_PARAMS) {
			String value = params.get(name);
			if (value != null && !value.isBlank()) {
				redirect.addAttribute(name, value);
			}
		}
	}

	/**
	 * The same users as the dashboard with the same filters, all pages, as CSV (RFC
	 * 4180).
	 */
	@GetMapping("/dashboard/export.csv")
	void export(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable Health health,
			@RequestParam(required = false) @Nullable LifecycleState lifecycle, HttpServletResponse response)
			throws IOException {
		String text = q;
		response.setContentType("text/csv");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"transfer-portal-users.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		DashboardCsv.header(out);
		// page through the database so that 10,000 users never sit in memory at once
		Pageable pageable = PageRequest.of(0, EXPORT_CHUNK, AccessRequestManagement.USER_ORDER);
		Page<ManagedUserView> users;
		do {
			users = this.requests.managedUsers(text, health, lifecycle, pageable);
			DashboardCsv.rows(users.getContent(), out);
			pageable = users.nextPageable();
		}
		while (users.hasNext());
		out.flush();
	}

}
