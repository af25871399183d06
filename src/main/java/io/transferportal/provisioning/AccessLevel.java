package io.transferportal.provisioning;

/** What a Transfer user may do in its home folder. */
public enum AccessLevel {

	READ_WRITE, READ_ONLY

}
