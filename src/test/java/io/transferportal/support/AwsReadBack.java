package io.transferportal.support;

import java.util.List;

import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.SshPublicKey;

import io.transferportal.provisioning.policy.KeyPolicies;

/** What fault and crash tests read back from AWS to find anything written twice. */
public final class AwsReadBack {

	private AwsReadBack() {
	}

	/** The principals of the portal's key-policy statement, duplicates kept. */
	public static List<String> portalPrincipals(IamPolicy keyPolicy) {
		return keyPolicy.statements()
			.stream()
			.filter((statement) -> KeyPolicies.PORTAL_SID.equals(statement.sid()))
			.flatMap((statement) -> statement.principals().stream())
			.map(IamPrincipal::id)
			.toList();
	}

	/**
	 * The user's SSH keys as type and key (the comment is not part of a key), duplicates
	 * kept.
	 */
	public static List<String> keyMaterial(DescribedUser user) {
		return user.sshPublicKeys()
			.stream()
			.map(SshPublicKey::sshPublicKeyBody)
			.map((body) -> String.join(" ", List.of(body.split(" ")).subList(0, 2)))
			.toList();
	}

}
