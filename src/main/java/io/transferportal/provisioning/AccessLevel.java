package io.transferportal.provisioning;

/** What a Transfer user may do in its home folder. */
public enum AccessLevel {

	READ_WRITE("Read and write"), READ_ONLY("Read only");

	private final String label;

	AccessLevel(String label) {
		this.label = label;
	}

	/** The access level as the pages write it. */
	public String label() {
		return this.label;
	}

}
