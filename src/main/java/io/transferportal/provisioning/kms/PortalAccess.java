package io.transferportal.provisioning.kms;

import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

/**
 * What to tell a person when KMS denies the portal itself access to a key. A key policy
 * that does not delegate to the account makes IAM policies ineffective for the key
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html), and
 * those are exactly the keys whose policy the portal patches, so the key policy itself
 * must allow the portal to describe, read and write it. The portal never bypasses the
 * lockout safety check, so its own permission survives every policy it writes
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html).
 */
final class PortalAccess {

	/** Sid of the statement a key administrator adds for the portal. */
	static final String SID = "TransferPortalManagesKeyPolicy";

	private PortalAccess() {
	}

	/**
	 * The message for an AccessDenied answer.
	 * @param operation the KMS operation, e.g. {@code GetKeyPolicy}
	 * @param keyArn the key
	 * @param callerArn the portal's identity as STS reports it
	 */
	static String denied(String operation, String keyArn, String callerArn) {
		String principal = principal(callerArn);
		String note = callerArn.contains(":assumed-role/") ? " (if role "
				+ principal.substring(principal.lastIndexOf('/') + 1) + " has an IAM path, put it into that ARN)" : "";
		return "KMS does not let the portal (" + callerArn + ") call kms:" + operation + " on key " + keyArn
				+ ". When a key policy does not delegate to the account, IAM policies do not count, so the key policy"
				+ " itself must allow the portal: add this statement to it" + note + ": " + statement(principal);
	}

	/**
	 * The key-policy principal for the caller: a role session
	 * ({@code arn:aws:sts::111122223333:assumed-role/Name/session}) is named by its role
	 * ({@code arn:aws:iam::111122223333:role/Name}); anything else as it is.
	 */
	static String principal(String callerArn) {
		String[] parts = callerArn.split(":", 6);
		if (parts.length == 6 && parts[2].equals("sts") && parts[5].startsWith("assumed-role/")) {
			String[] path = parts[5].split("/");
			return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + path[1];
		}
		return callerArn;
	}

	/** The statement as compact JSON, ready to paste into the key policy. */
	static String statement(String principal) {
		String policy = IamPolicy.builder()
			.addStatement(IamStatement.builder()
				.sid(SID)
				.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.AWS, principal)
				.addAction("kms:DescribeKey")
				.addAction("kms:GetKeyPolicy")
				.addAction("kms:PutKeyPolicy")
				// the home folder marker the portal writes is encrypted with this key by
				// the bucket's default encryption
				.addAction("kms:GenerateDataKey")
				.addResource("*")
				.build())
			.build()
			.toJson();
		// the one statement without the policy around it: the writer puts "Statement"
		// last and writes a single statement as an object
		String member = "\"Statement\":";
		return policy.substring(policy.indexOf(member) + member.length(), policy.length() - 1);
	}

}
