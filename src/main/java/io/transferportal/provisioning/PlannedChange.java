package io.transferportal.provisioning;

import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import org.jspecify.annotations.Nullable;

/**
 * One AWS change a plan will make (or {@link ChangeAction#NONE} when the resource is
 * already as required).
 *
 * @param resource the kind of resource
 * @param resourceArn the ARN of the resource (for bucket encryption: the bucket ARN)
 * @param action create, update, delete or none
 * @param before the live document (pretty JSON), {@code null} when the resource does not
 * exist
 * @param after the document after the change (pretty JSON), {@code null} when the change
 * deletes it
 * @param summary one line in words
 * @param warnings consequences the approver must know about (e.g. a bucket-wide
 * encryption change)
 */
public record PlannedChange(ResourceKind resource, String resourceArn, ChangeAction action, @Nullable String before,
		@Nullable String after, String summary, List<String> warnings) {

	public PlannedChange {
		warnings = List.copyOf(warnings);
	}

	public static PlannedChange none(ResourceKind resource, String resourceArn, @Nullable String document,
			String summary) {
		return new PlannedChange(resource, resourceArn, ChangeAction.NONE, document, document, summary, List.of());
	}

	/**
	 * What an approval of this change covers, and so what the plan fingerprint is
	 * computed from. A key policy is shared: other users' roles and statements the portal
	 * does not own change it all the time, and that must not void approvals of unrelated
	 * requests. So for the key policy only the portal's intent counts (action and
	 * summary, which names the role); for every document the portal owns, the full
	 * change.
	 */
	public Object approvalBasis() {
		if (this.resource == ResourceKind.KEY_POLICY) {
			return List.of(this.resource, this.resourceArn, this.action, this.summary);
		}
		return this;
	}

	/**
	 * A unified diff of {@link #before} and {@link #after}, empty when nothing changes.
	 */
	public String diff() {
		if (this.action == ChangeAction.NONE) {
			return "";
		}
		List<String> original = lines(this.before);
		List<String> revised = lines(this.after);
		List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("before", "after", original,
				DiffUtils.diff(original, revised), 3);
		return String.join("\n", unified);
	}

	private static List<String> lines(@Nullable String document) {
		return (document != null) ? document.lines().toList() : List.of();
	}

}
