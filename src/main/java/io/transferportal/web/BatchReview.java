package io.transferportal.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.requests.RequestBatchView;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;

/**
 * A batch's combined plan for its reviewer: the resources its users share (a bucket's
 * default encryption, a key's policy) once each, with how many users change them and
 * every warning once, and under each user the changes that are that user's alone.
 *
 * @param shared the shared resources, in the order first planned
 * @param users each item's own changes, in batch order
 */
record BatchReview(List<SharedChange> shared, List<UserChanges> users) {

	/** Resources that several users of a batch may have in common. */
	private static final Set<ResourceKind> SHARED = Set.of(ResourceKind.BUCKET_ENCRYPTION, ResourceKind.KEY_POLICY);

	private static final Set<RequestStatus> RUNNING = Set.of(RequestStatus.PENDING_APPROVAL,
			RequestStatus.NEEDS_REAPPROVAL, RequestStatus.APPROVED, RequestStatus.PROVISIONING);

	static BatchReview of(RequestBatchView batch) {
		Map<String, SharedBuilder> shared = new LinkedHashMap<>();
		List<UserChanges> users = new ArrayList<>();
		for (int index = 0; index < batch.items().size(); index++) {
			RequestView item = batch.items().get(index);
			List<Change> own = new ArrayList<>();
			for (PlannedChange change : item.plan().changes()) {
				if (SHARED.contains(change.resource())) {
					shared
						.computeIfAbsent(change.resource() + " " + change.resourceArn(),
								(key) -> new SharedBuilder(change))
						.add(change);
				}
				else {
					own.add(new Change(change.resource().label(), change.action(), change.summary(),
							change.warnings()));
				}
			}
			users.add(new UserChanges(index + 1, item.id(), item.serverId(), item.userName(), item.status(), own));
		}
		return new BatchReview(shared.values().stream().map(SharedBuilder::build).toList(), users);
	}

	/** Whether any item still waits for a decision or runs: the page keeps polling. */
	static boolean running(RequestBatchView batch) {
		return batch.items().stream().anyMatch((item) -> RUNNING.contains(item.status()));
	}

	/**
	 * A shared resource: what the first user's plan does to it (later users' plans are
	 * the same change or add only their own role to it), how many users change it, and
	 * every warning once.
	 */
	record SharedChange(String resource, String resourceArn, ChangeAction action, String summary, int changingUsers,
			int users, List<String> warnings) {
	}

	record UserChanges(int row, long requestId, String serverId, String userName, RequestStatus status,
			List<Change> changes) {
	}

	record Change(String resource, ChangeAction action, String summary, List<String> warnings) {
	}

	private static final class SharedBuilder {

		private final PlannedChange first;

		private @Nullable PlannedChange firstChanging;

		private int changing;

		private int users;

		private final Set<String> warnings = new LinkedHashSet<>();

		SharedBuilder(PlannedChange first) {
			this.first = first;
		}

		void add(PlannedChange change) {
			this.users++;
			if (change.action() != ChangeAction.NONE) {
				this.changing++;
				if (this.firstChanging == null) {
					this.firstChanging = change;
				}
			}
			this.warnings.addAll(change.warnings());
		}

		SharedChange build() {
			PlannedChange shown = (this.firstChanging != null) ? this.firstChanging : this.first;
			return new SharedChange(shown.resource().label(), shown.resourceArn(), shown.action(), shown.summary(),
					this.changing, this.users, List.copyOf(this.warnings));
		}

	}

}
