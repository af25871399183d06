package io.transferportal.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.FieldViolation;

/**
 * The free texts a command takes besides the user's settings: a decision's comment or
 * reason, and a ticket reference. Checked before anything else, so that a text the
 * database cannot hold is a field error naming the field, never a database error.
 */
final class RequestTexts {

	/** {@code request_decision.comment varchar(2000)}; the API's limit too. */
	static final int MAX_COMMENT_LENGTH = 2000;

	/** {@code access_request.ticket_ref varchar(100)}; the API's limit too. */
	static final int MAX_TICKET_LENGTH = 100;

	/** Printable text; a comment may also break lines and hold tabs. */
	private static final Pattern COMMENT = Pattern.compile("[^\\p{Cntrl}&&[^\\n\\r\\t]]*");

	private static final Pattern TICKET = Pattern.compile("[^\\p{Cntrl}]*");

	private RequestTexts() {
	}

	static List<FieldViolation> comment(String field, @Nullable String text) {
		List<FieldViolation> violations = new ArrayList<>();
		if (text != null) {
			if (text.length() > MAX_COMMENT_LENGTH) {
				violations.add(new FieldViolation(field, "must be at most " + MAX_COMMENT_LENGTH + " characters"));
			}
			else if (!COMMENT.matcher(text).matches()) {
				violations.add(new FieldViolation(field, "must not contain control characters"));
			}
		}
		return violations;
	}

	static List<FieldViolation> ticketRef(@Nullable String ticketRef) {
		List<FieldViolation> violations = new ArrayList<>();
		if (ticketRef != null) {
			if (ticketRef.length() > MAX_TICKET_LENGTH) {
				violations.add(new FieldViolation("ticketRef", "must be at most " + MAX_TICKET_LENGTH + " characters"));
			}
			else if (!TICKET.matcher(ticketRef).matches()) {
				violations.add(new FieldViolation("ticketRef", "must not contain control characters"));
			}
		}
		return violations;
	}

}
