package io.transferportal.requests;

import java.util.Collection;

import io.transferportal.provisioning.CheckStatus;

/** A managed user's overall state: the worst of its checks. */
public enum Health {

	OK, DRIFT, MISSING, ERROR, UNVERIFIED;

	static Health of(Collection<CheckStatus> checks) {
		if (checks.isEmpty()) {
			return UNVERIFIED;
		}
		if (checks.contains(CheckStatus.ERROR)) {
			return ERROR;
		}
		if (checks.contains(CheckStatus.MISSING)) {
			return MISSING;
		}
		return checks.contains(CheckStatus.DRIFT) ? DRIFT : OK;
	}

}
