package io.transferportal.provisioning;

/**
 * The AWS resources the portal manages for one Transfer user, in the order they are
 * applied.
 */
public enum ResourceKind {

	ROLE("IAM role"),

	ROLE_POLICY("IAM role policy"),

	KEY_POLICY("KMS key policy"),

	BUCKET_ENCRYPTION("Bucket default encryption"),

	HOME_FOLDER("Home folder"),

	SESSION_POLICY("Session policy"),

	TRANSFER_USER("Transfer user");

	private final String label;

	ResourceKind(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

}
