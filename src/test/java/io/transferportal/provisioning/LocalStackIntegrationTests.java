package io.transferportal.provisioning;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.Targets;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3, IAM and KMS resources against LocalStack, a second emulator that validates more
 * than moto. LocalStack's Transfer service is in a paid tier, so the Transfer step is
 * left out. Runs only where Docker and a LocalStack auth token
 * ({@code LOCALSTACK_AUTH_TOKEN}, required by LocalStack images since March 2026) are
 * available; skipped otherwise.
 */
@EnabledIfEnvironmentVariable(named = "LOCALSTACK_AUTH_TOKEN", matches = ".+")
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest
class LocalStackIntegrationTests {

	@Container
	static LocalStackContainer localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4"))
		.withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv("LOCALSTACK_AUTH_TOKEN"))
		.withServices("s3", "iam", "kms", "sts");

	@DynamicPropertySource
	static void localstackEndpoint(DynamicPropertyRegistry registry) {
		registry.add("portal.aws.endpoint", () -> localstack.getEndpoint().toString());
		registry.add("portal.aws.region", localstack::getRegion);
		System.setProperty("aws.accessKeyId", localstack.getAccessKey());
		System.setProperty("aws.secretAccessKey", localstack.getSecretKey());
	}

	@Autowired
	List<UserResource<?, ?>> resources;

	@Autowired
	Targets targets;

	@Autowired
	S3Client s3;

	@Autowired
	KmsClient kms;

	@Test
	void bucketRoleAndKeyStepsConvergeAndAreIdempotent() {
		String bucket = AwsFixtures.unique("portal-ls-");
		this.s3.createBucket((request) -> request.bucket(bucket));
		String account = this.kms.createKey((request) -> request.description("probe")).keyMetadata().awsAccountId();
		String key = this.kms
			.createKey((request) -> request
				.policy(AwsFixtures.nonDelegatingPolicy().toJson().replace(AwsFixtures.ACCOUNT, account)))
			.keyMetadata()
			.arn();
		Target target = this.targets
			.resolve(AwsFixtures.spec("s-0123456789abcdef0", "alice", bucket, key, TestKeys.ED25519_A));
		List<UserResource<?, ?>> awsResources = this.resources.stream()
			.filter((resource) -> !resource.kinds().contains(ResourceKind.TRANSFER_USER))
			.sorted(Comparator.comparingInt(UserResource::getOrder))
			.toList();

		awsResources
			.forEach((resource) -> assertThat(converge(resource, target)).as(resource.kinds().toString()).isTrue());

		assertThat(awsResources).allSatisfy((resource) -> assertThat(converge(resource, target))
			.as("decided again after the write: " + resource.kinds())
			.isFalse());
		assertThat(KeyPolicies.allowsRole(
				Policies.parse(this.kms.getKeyPolicy((request) -> request.keyId(key).policyName("default")).policy()),
				target.roleArn(), key))
			.isTrue();
		assertThat(this.s3.getBucketEncryption((request) -> request.bucket(bucket))
			.serverSideEncryptionConfiguration()
			.rules()
			.get(0)
			.bucketKeyEnabled()).isTrue();
	}

	/** Reads, decides and writes what the decision says; whether it wrote. */
	private static <S, W> boolean converge(UserResource<S, W> resource, Target target) {
		Decision<W> decision = resource.decide(target, resource.read(target));
		assertThat(decision.problems()).isEmpty();
		if (decision.writes()) {
			resource.write(target, decision.work());
		}
		return decision.writes();
	}

}
