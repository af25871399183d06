package io.transferportal.web;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.Verification;
import io.transferportal.requests.ManagedUserView;

/**
 * Writes managed users as CSV: RFC 4180 quoting, CRLF line ends, and cells that a
 * spreadsheet would run as a formula ({@code = + - @}, tab, carriage return) prefixed
 * with {@code '}.
 */
final class DashboardCsv {

	private DashboardCsv() {
	}

	static void header(Writer out) throws IOException {
		List<String> cells = new ArrayList<>(
				List.of("server", "user", "bucket", "home", "kms key arn", "access level", "role", "health"));
		for (ResourceKind resource : Verification.CHECKED) {
			cells.add(resource.label());
		}
		cells.add("last verified");
		cells.add("last request");
		line(cells, out);
	}

	static void rows(Iterable<ManagedUserView> users, Writer out) throws IOException {
		for (ManagedUserView user : users) {
			List<@Nullable String> cells = new ArrayList<>();
			cells.add(user.serverId());
			cells.add(user.userName());
			cells.add(user.spec().bucket());
			cells.add(user.spec().effectiveHomePrefix());
			cells.add(user.spec().kmsKeyArn());
			cells.add(user.spec().accessLevel().name());
			cells.add(user.spec().dedicatedRole() ? "dedicated" : user.spec().roleArn());
			cells.add(user.health().name());
			for (ResourceKind resource : Verification.CHECKED) {
				cells.add(user.checks()
					.stream()
					.filter((check) -> check.resource() == resource)
					.map(Check::status)
					.map(Enum::name)
					.findFirst()
					.orElse(""));
			}
			cells.add((user.verifiedAt() != null) ? user.verifiedAt().toString() : "");
			cells.add((user.lastRequestId() != null) ? user.lastRequestId().toString() : "");
			line(cells, out);
		}
	}

	/** One cell, neutralised against formula injection and quoted when needed. */
	static String cell(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		String text = value;
		char first = text.charAt(0);
		if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
			text = "'" + text;
		}
		if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
			return '"' + text.replace("\"", "\"\"") + '"';
		}
		return text;
	}

	private static void line(List<? extends @Nullable String> cells, Writer out) throws IOException {
		for (int i = 0; i < cells.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			out.write(cell(cells.get(i)));
		}
		out.write("\r\n");
	}

}
