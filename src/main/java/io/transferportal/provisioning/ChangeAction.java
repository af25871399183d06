package io.transferportal.provisioning;

/** What a plan will do to one resource. */
public enum ChangeAction {

	CREATE, UPDATE, DELETE, NONE

}
