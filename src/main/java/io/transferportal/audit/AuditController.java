package io.transferportal.audit;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.lang3.StringUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Audit export for administrators (the audit page of the web UI builds on the same
 * search).
 */
@Controller
class AuditController {

	static final int MAX_EXPORT = 100_000;

	private final AuditTrail trail;

	AuditController(AuditTrail trail) {
		this.trail = trail;
	}

	@GetMapping("/admin/audit/export")
	void export(@RequestParam(defaultValue = "csv") String format,
			@RequestParam(required = false) @Nullable Long requestId,
			@RequestParam(required = false) @Nullable String ticketRef,
			@RequestParam(required = false) @Nullable String serverId,
			@RequestParam(required = false) @Nullable String userName,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
			HttpServletResponse response) throws IOException {
		boolean json = "json".equalsIgnoreCase(format);
		var records = this.trail.search(new AuditFilter(requestId, StringUtils.trimToNull(ticketRef),
				StringUtils.trimToNull(serverId), StringUtils.trimToNull(userName), from, to), MAX_EXPORT);
		response.setContentType(json ? "application/json" : "text/csv");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				"attachment; filename=\"transfer-portal-audit." + (json ? "json" : "csv") + "\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		if (json) {
			AuditExport.json(records, out);
		}
		else {
			AuditExport.csv(records, out);
		}
	}

}
