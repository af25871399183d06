package io.transferportal.provisioning.core;

import java.util.List;
import java.util.Set;

import org.springframework.core.Ordered;

import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ResourceKind;

/**
 * Manages one or more resources of a Transfer user. Planning only reads; applying
 * re-reads, writes only what differs and reports what it did, so running a step twice is
 * safe. Steps run in {@link #getOrder()} when provisioning and in reverse order when
 * removing.
 */
public interface ProvisioningStep extends Ordered {

	/** The resources this step plans and applies. */
	Set<ResourceKind> resources();

	/**
	 * Checks, by reading AWS, that the inputs this step depends on exist and are usable
	 * (the server, bucket, key or role named in the request). Called before planning;
	 * problems are reported against the request's fields.
	 */
	default List<FieldViolation> checkInputs(Target target) {
		return List.of();
	}

	/**
	 * Reads the live state and returns the changes needed to reach the target, plus any
	 * problems.
	 */
	StepPlan plan(Target target);

	/** Converges the live state to the target. */
	List<AppliedChange> apply(Target target);

	/**
	 * The changes needed to remove what the portal added for this user, keeping what
	 * others still use.
	 */
	StepPlan planRemoval(Target target, Sharing sharing);

	/**
	 * Carries out the approved removal changes of this step (NONE entries are left
	 * alone).
	 */
	List<AppliedChange> remove(Target target, List<PlannedChange> approved);

	/**
	 * Whether other portal-managed users still need what this user's removal would
	 * otherwise take away.
	 *
	 * @param roleInUse another managed user assumes the same role
	 * @param roleUsesKey another managed user assumes the same role with the same KMS key
	 */
	record Sharing(boolean roleInUse, boolean roleUsesKey) {
	}

}
