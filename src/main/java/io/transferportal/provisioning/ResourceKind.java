package io.transferportal.provisioning;

/**
 * The AWS resources the portal manages for one Transfer user, in the order they are
 * applied.
 */
public enum ResourceKind {

	BUCKET_ENCRYPTION("Bucket default encryption"),

	ROLE("IAM role"),

	ROLE_POLICY("IAM role policy"),

	KEY_POLICY("KMS key policy"),

	SESSION_POLICY("Session policy"),

	HOME_FOLDER("Home folder"),

	TRANSFER_USER("Transfer user");

	private final String label;

	ResourceKind(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

}
