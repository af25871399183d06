package io.transferportal.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Health;
import io.transferportal.requests.LifecycleState;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.web.LifecycleBadges.Row;

/**
 * The status of every managed Transfer user: counts by health and by state of life, and
 * one page of users, read from the database only (no AWS call), so the page stays fast
 * with many thousands of users.
 */
@Controller
class DashboardController {

	static final int DEFAULT_SIZE = 50;

	static final int MAX_SIZE = 200;

	/** Rows fetched per database page while writing the CSV export. */
	static final int EXPORT_CHUNK = 500;

	private final AccessRequestManagement requests;

	DashboardController(AccessRequestManagement requests) {
		this.requests = requests;
	}

	/**
	 * The dashboard: counts by health and by state of life, and a page of managed users.
	 * @param q part of a server id or user name
	 * @param health only users of this health; empty for all
	 * @param lifecycle only users in this state of their life; empty for all
	 * @param page 1-based page number
	 * @param size rows per page, at most {@link #MAX_SIZE}
	 */
	@GetMapping("/dashboard")
	String status(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable Health health,
			@RequestParam(required = false) @Nullable LifecycleState lifecycle,
			@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "" + DEFAULT_SIZE) int size,
			Model model) {
		String text = q;
		Pageable pageable = PageRequest.of(Math.max(page, 1) - 1, Math.min(Math.max(size, 1), MAX_SIZE),
				AccessRequestManagement.USER_ORDER);
		Page<Row> users = this.requests.managedUsers(text, health, lifecycle, pageable).map(Row::of);
		Map<Health, Long> counts = this.requests.healthCounts();
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		model.addAttribute("users", users);
		model.addAttribute("counts", counts);
		model.addAttribute("total", total);
		model.addAttribute("healths", Health.values());
		model.addAttribute("lifecycleCounts", this.requests.lifecycleCounts());
		model.addAttribute("lifecycles", LifecycleState.values());
		model.addAttribute("q", (text != null) ? text : "");
		model.addAttribute("health", health);
		model.addAttribute("lifecycle", lifecycle);
		model.addAttribute("size", pageable.getPageSize());
		return "dashboard/status";
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
