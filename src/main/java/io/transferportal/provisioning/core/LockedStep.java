package io.transferportal.provisioning.core;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.ProvisioningLocks;

/**
 * One resource's part of applying an approved plan, to be done under the resource's lock.
 *
 * @param resource the resource
 * @param target the request's target
 * @param approved the approved plan
 * @param lock the resource's lock
 * @param requireWithin refuses, by throwing, a decision with problems or with a change
 * the approved plan does not cover
 * @param applyOne reads, decides, checks and writes the resource alone, as the engine
 * does for every resource
 */
public record LockedStep(UserResource<?, ?> resource, Target target, Plan approved, String lock,
		Consumer<Decision<?>> requireWithin, Supplier<List<AppliedChange>> applyOne) {

	/**
	 * Applies the step under its lock; a resource that serves several waiting runs with
	 * one write ({@link BatchedWrites}) takes the step over.
	 */
	public List<AppliedChange> applyUnder(ProvisioningLocks locks) {
		if (this.resource instanceof BatchedWrites batched) {
			return batched.applyBatched(this, locks);
		}
		return locks.withLock(this.lock, this.applyOne);
	}

}
