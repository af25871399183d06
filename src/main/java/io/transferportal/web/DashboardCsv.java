package io.transferportal.web;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.transferportal.audit.CsvExport;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.Verification;
import io.transferportal.requests.ManagedUserView;
import io.transferportal.requests.ManagedUserView.Lifecycle;
import io.transferportal.web.LifecycleBadges.Badge;

/**
 * The dashboard's columns for managed users, written through {@link CsvExport} (quoting
 * and formula neutralisation).
 */
final class DashboardCsv {

	private DashboardCsv() {
	}

	static void header(Writer out) {
		List<String> cells = new ArrayList<>(
				List.of("server", "user", "bucket", "home", "kms key arn", "access level", "role", "health"));
		for (ResourceKind resource : Verification.CHECKED) {
			cells.add(resource.label());
		}
		cells.add("last verified");
		cells.add("last request");
		cells.add("ssh keys");
		cells.add("expires");
		cells.add("review due");
		cells.add("lifecycle");
		CsvExport.write(List.of(cells), out);
	}

	static void rows(Iterable<ManagedUserView> users, Writer out) {
		List<List<@Nullable String>> rows = new ArrayList<>();
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
			Lifecycle lifecycle = user.lifecycle();
			cells.add((lifecycle.sshKeyCount() != null) ? lifecycle.sshKeyCount().toString() : "");
			cells.add((lifecycle.expiresAt() != null) ? lifecycle.expiresAt().toString() : "");
			cells.add((lifecycle.reviewDueAt() != null) ? lifecycle.reviewDueAt().toString() : "");
			cells.add(LifecycleBadges.of(lifecycle).stream().map(Badge::text).collect(Collectors.joining("; ")));
			rows.add(cells);
		}
		CsvExport.write(rows, out);
	}

}
