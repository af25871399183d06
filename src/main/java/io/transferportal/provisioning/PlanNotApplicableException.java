package io.transferportal.provisioning;

/**
 * A plan with problems was handed to {@link ProvisioningEngine#apply}; nothing was
 * written.
 */
public class PlanNotApplicableException extends RuntimeException {

	private final Plan plan;

	public PlanNotApplicableException(Plan plan) {
		super("Plan " + plan.fingerprint() + " has " + plan.problems().size() + " problem(s) and cannot be applied");
		this.plan = plan;
	}

	public Plan plan() {
		return this.plan;
	}

}
