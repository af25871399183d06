package io.transferportal.web;

import java.util.Locale;
import java.util.Map;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Audit actions in words, for the audit log and a request's timeline
 * ({@code auditActions.label(action)}). The stored code stays what exports and queries
 * use; an action without a label here is shown as its code in lower case, never hidden.
 */
@ControllerAdvice
public class AuditActions {

	private static final Map<String, String> LABELS = Map.of("SUBMITTED", "Submitted", "APPROVED", "Approved",
			"REJECTED", "Rejected", "STATUS_CHANGED", "Status changed", "RETRY_REQUESTED", "Asked to run again",
			"ACCESS_REVIEWED", "Access reviewed", "AWS_CHANGE", "Changed in AWS", "AWS_CALL_FAILED", "AWS call failed",
			"VERIFICATION_CHANGED", "Health changed");

	@ModelAttribute("auditActions")
	AuditActions auditActions() {
		return this;
	}

	public String label(String action) {
		String label = LABELS.get(action);
		return (label != null) ? label : action.toLowerCase(Locale.ROOT).replace('_', ' ');
	}

}
