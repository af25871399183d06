package io.transferportal.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

import io.transferportal.support.AwsFixtures;
import io.transferportal.support.MotoClients;
import io.transferportal.support.MotoServer;

/**
 * A moto_server of its own that authorises every request against IAM policies, as AWS
 * does: an administrator (allowed everything) that sets up and changes the test's
 * resources, and the portal's IAM user, whose only policy is the one a test puts on it.
 * <p>
 * Authorisation is switched on with {@code POST /moto-api/reset-auth} and a count of
 * requests still let through (0), the runtime form of
 * {@code INITIAL_NO_AUTH_ACTION_COUNT}
 * (https://docs.getmoto.org/en/latest/docs/iam.html). It is global to the server, which
 * is why the other tests' shared moto_server is not used.
 *
 * @param server the running server
 * @param admin clients with the administrator's access key
 * @param portalCredentials the portal user's access key
 */
record AuthorisingMoto(MotoServer.Dedicated server, MotoClients admin, AwsCredentials portalCredentials) {

	static final String PORTAL_USER = "transfer-portal";

	static final String BOUNDARY_NAME = "transfer-portal-user-boundary";

	/**
	 * The ARN IAM gives the permissions boundary the portal puts on the roles it creates
	 * (moto's account, no path); {@link #start()} checks it.
	 */
	static final String BOUNDARY_ARN = "arn:aws:iam::" + AwsFixtures.ACCOUNT + ":policy/" + BOUNDARY_NAME;

	static AuthorisingMoto start() {
		MotoServer.Dedicated server = MotoServer.dedicated();
		AwsCredentials admin;
		AwsCredentials portal;
		String boundaryArn;
		try (MotoClients clients = MotoClients.create(server.endpoint(),
				StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {
			IamClient setUp = clients.iam();
			setUp.createUser((request) -> request.userName("administrator"));
			setUp.putUserPolicy((request) -> request.userName("administrator")
				.policyName("everything")
				.policyDocument(IamPolicy.builder()
					.addStatement((statement) -> statement.effect(IamEffect.ALLOW).addAction("*").addResource("*"))
					.build()
					.toJson()));
			admin = credentials(setUp, "administrator");
			setUp.createUser((request) -> request.userName(PORTAL_USER));
			portal = credentials(setUp, PORTAL_USER);
			// what the dedicated roles may ever do: a Transfer user's S3 and KMS calls
			boundaryArn = setUp
				.createPolicy((request) -> request.policyName(BOUNDARY_NAME)
					.policyDocument(IamPolicy.builder()
						.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
							.addAction("s3:*")
							.addAction("kms:Decrypt")
							.addAction("kms:Encrypt")
							.addAction("kms:GenerateDataKey")
							.addResource("*"))
						.build()
						.toJson()))
				.policy()
				.arn();
		}
		if (!boundaryArn.equals(BOUNDARY_ARN)) {
			throw new IllegalStateException("The boundary is " + boundaryArn + ", the tests expect " + BOUNDARY_ARN);
		}
		resetAuth(server.endpoint());
		return new AuthorisingMoto(server,
				MotoClients.create(server.endpoint(), StaticCredentialsProvider.create(admin)), portal);
	}

	private static AwsCredentials credentials(IamClient iam, String user) {
		AccessKey key = iam.createAccessKey((request) -> request.userName(user)).accessKey();
		return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
	}

	/** From now on every request is authenticated and authorised. */
	private static void resetAuth(URI endpoint) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset-auth"))
					.POST(HttpRequest.BodyPublishers.ofString("0"))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("moto_server did not switch authorisation on: " + response.body());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The portal's credentials, for its AWS clients. */
	AwsCredentialsProvider portalCredentialsProvider() {
		return StaticCredentialsProvider.create(this.portalCredentials);
	}

	/**
	 * Replaces the portal user's policies (IAM applies them to the next request), as moto
	 * evaluates them.
	 */
	void grantPortal(IamPolicy... policies) {
		IamClient iam = this.admin.iam();
		iam.listUserPolicies((request) -> request.userName(PORTAL_USER))
			.policyNames()
			.forEach((name) -> iam.deleteUserPolicy((request) -> request.userName(PORTAL_USER).policyName(name)));
		for (int i = 0; i < policies.length; i++) {
			String name = "portal-policy-" + i;
			String document = asMotoEvaluatesIt(policies[i]).toJson();
			iam.putUserPolicy((request) -> request.userName(PORTAL_USER).policyName(name).policyDocument(document));
		}
	}

	/**
	 * The policy as moto can evaluate it. moto authorises KMS and Transfer calls against
	 * resource {@code *}, and IAM calls against the role's ARN only once the role exists
	 * ({@code *} for CreateRole and for the reads that find a role missing), so a
	 * statement keeps its resources only where moto names the real one: S3's bucket and
	 * object ARNs, and IAM's changes to existing roles. moto does not evaluate the
	 * condition keys the policy uses, so an Allow loses its conditions and a Deny with
	 * conditions, which moto would apply unconditionally, is left out. Both are covered
	 * by {@link PortalPolicyTests}, which matches every resource and condition against
	 * the portal's real ARNs and keys. moto also asks for other S3 actions than AWS for
	 * two bucket calls: GetBucketEncryption as {@code s3:ListBucket} and
	 * PutBucketEncryption as {@code s3:CreateBucket} (its ACTION_MAP has no entry for the
	 * {@code encryption} sub-resource, so the default of the method applies), which are
	 * added where AWS's names are allowed.
	 */
	static IamPolicy asMotoEvaluatesIt(IamPolicy policy) {
		List<IamStatement> statements = new ArrayList<>();
		for (IamStatement statement : policy.statements()) {
			boolean allow = IamEffect.ALLOW.value().equals(statement.effect().value());
			if (!allow && !statement.conditions().isEmpty()) {
				continue;
			}
			List<String> actions = statement.actions().stream().map((action) -> action.value()).toList();
			IamStatement.Builder builder = statement.toBuilder().conditions(List.of());
			if (!allow || !actions.stream().allMatch(AuthorisingMoto::motoNamesTheResource)) {
				builder.resourceIds(List.of("*"));
			}
			if (allow && actions.contains("s3:GetEncryptionConfiguration")) {
				builder.addAction("s3:ListBucket");
			}
			if (allow && actions.contains("s3:PutEncryptionConfiguration")) {
				builder.addAction("s3:CreateBucket");
			}
			statements.add(builder.build());
		}
		return policy.toBuilder().statements(statements).build();
	}

	private static boolean motoNamesTheResource(String action) {
		if (action.startsWith("s3:")) {
			return true;
		}
		String operation = action.substring(action.indexOf(':') + 1);
		return action.startsWith("iam:") && !operation.equals("CreateRole") && !operation.startsWith("Get")
				&& !operation.startsWith("List");
	}

}
