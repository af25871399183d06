package io.transferportal.bench;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;

import io.transferportal.support.AwsFixtures;

/**
 * What a platform team's plain script does for the same users, one after the other: the
 * minimal calls and nothing read back. Per user CreateRole (trusted by Transfer),
 * PutRolePolicy, PutObject of the home folder marker and CreateUser with the first SSH
 * key and the session policy; for a key whose policy does not delegate to the account,
 * one PutKeyPolicy at the end naming every role.
 */
final class SdkScript {

	private final BenchAws aws;

	SdkScript(BenchAws aws) {
		this.aws = aws;
	}

	/** Provisions the users and answers how many seconds it took. */
	double run(String serverId, BenchAws.Target target, List<String> userNames, String sshKey) {
		long start = System.nanoTime();
		List<String> roles = new ArrayList<>();
		String bucketArn = "arn:aws:s3:::" + target.bucket();
		for (String user : userNames) {
			String roleName = "script-" + user;
			String roleArn = this.aws.iam
				.createRole((request) -> request.roleName(roleName)
					.path("/transfer-script/")
					.assumeRolePolicyDocument(trustPolicy()))
				.role()
				.arn();
			roles.add(roleArn);
			this.aws.iam.putRolePolicy((request) -> request.roleName(roleName)
				.policyName("transfer-access")
				.policyDocument(rolePolicy(bucketArn, target.keyArn())));
			this.aws.s3.putObject((request) -> request.bucket(target.bucket()).key(user + "/"), RequestBody.empty());
			this.aws.transfer.createUser((request) -> request.serverId(serverId)
				.userName(user)
				.role(roleArn)
				.homeDirectoryType(HomeDirectoryType.PATH)
				.homeDirectory("/" + target.bucket() + "/" + user)
				.policy(sessionPolicy(bucketArn, user))
				.sshPublicKeyBody(sshKey));
		}
		if (!target.rootDelegating()) {
			IamPolicy patched = AwsFixtures.nonDelegatingPolicy()
				.copy((policy) -> policy.addStatement(IamStatement.builder()
					.sid("TransferUserRoles")
					.effect(IamEffect.ALLOW)
					.principals(roles.stream().map((arn) -> IamPrincipal.create(IamPrincipalType.AWS, arn)).toList())
					.addAction("kms:Decrypt")
					.addAction("kms:GenerateDataKey")
					.addResource("*")
					.build()));
			this.aws.kms.putKeyPolicy(
					(request) -> request.keyId(target.keyArn()).policyName("default").policy(patched.toJson()));
		}
		return (System.nanoTime() - start) / 1e9;
	}

	private static String trustPolicy() {
		return IamPolicy.builder()
			.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
				.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
				.addAction("sts:AssumeRole"))
			.build()
			.toJson();
	}

	private static String rolePolicy(String bucketArn, String keyArn) {
		return IamPolicy.builder()
			.addStatement(
					(statement) -> statement.effect(IamEffect.ALLOW).addAction("s3:ListBucket").addResource(bucketArn))
			.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
				.addAction("s3:PutObject")
				.addAction("s3:GetObject")
				.addAction("s3:DeleteObject")
				.addResource(bucketArn + "/*"))
			.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
				.addAction("kms:Decrypt")
				.addAction("kms:GenerateDataKey")
				.addResource(keyArn))
			.build()
			.toJson();
	}

	private static String sessionPolicy(String bucketArn, String user) {
		return IamPolicy.builder()
			.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
				.addAction("s3:ListBucket")
				.addResource(bucketArn)
				.addCondition(IamConditionOperator.STRING_LIKE, "s3:prefix", user + "/*"))
			.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
				.addAction("s3:PutObject")
				.addAction("s3:GetObject")
				.addAction("s3:DeleteObject")
				.addResource(bucketArn + "/" + user + "/*"))
			.build()
			.toJson();
	}

}
