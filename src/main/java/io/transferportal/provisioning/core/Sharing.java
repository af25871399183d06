package io.transferportal.provisioning.core;

/**
 * Whether other portal-managed users still need what this user's removal would otherwise
 * take away.
 *
 * @param roleInUse another managed user assumes the same role
 * @param roleUsesKey another managed user assumes the same role with the same KMS key
 */
public record Sharing(boolean roleInUse, boolean roleUsesKey) {

	/** Nothing is shared. */
	public static final Sharing NONE = new Sharing(false, false);

}
