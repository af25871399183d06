package io.transferportal.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditRecord;
import io.transferportal.audit.AuditTrail;

/**
 * The audit log for administrators: filter, read, and export through the audit module's
 * export endpoint.
 */
@Controller
class AuditPageController {

	/** The most records the page shows; the export has the rest. */
	static final int LIMIT = 500;

	private final AuditTrail trail;

	AuditPageController(AuditTrail trail) {
		this.trail = trail;
	}

	@GetMapping("/admin/audit")
	String auditLog(@Valid @ModelAttribute("search") AdminAuditSearchForm search, BindingResult result, Model model) {
		model.addAttribute("limit", LIMIT);
		if (result.hasErrors()) {
			model.addAttribute("records", List.of());
			model.addAttribute("truncated", false);
			return "audit/auditLog";
		}
		AuditFilter filter = search.toFilter();
		// one more than shown, to tell whether there are more
		List<AuditRecord> records = new ArrayList<>(this.trail.latest(filter, LIMIT + 1));
		boolean truncated = records.size() > LIMIT;
		if (truncated) {
			records = new ArrayList<>(records.subList(0, LIMIT));
		}
		model.addAttribute("records", records);
		model.addAttribute("truncated", truncated);
		model.addAttribute("csvExport", exportLink("csv", filter));
		model.addAttribute("jsonExport", exportLink("json", filter));
		return "audit/auditLog";
	}

	/**
	 * A link to the audit module's export with the same filter; values are encoded
	 * strictly ('+', '&').
	 */
	private static String exportLink(String format, AuditFilter filter) {
		Map<String, @Nullable Object> params = QueryLinks.params();
		params.put("format", format);
		params.put("userName", filter.userName());
		params.put("requestId", filter.requestId());
		params.put("ticketRef", filter.ticketRef());
		params.put("serverId", filter.serverId());
		params.put("from", filter.from());
		params.put("to", filter.to());
		return QueryLinks.link("/admin/audit/export", params);
	}

}
