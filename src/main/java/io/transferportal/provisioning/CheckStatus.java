package io.transferportal.provisioning;

/** The state of one managed resource compared with what the portal requires. */
public enum CheckStatus {

	OK, DRIFT, MISSING, ERROR

}
