package io.transferportal.provisioning.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningListener;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.AwsProperties;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.Targets;
import io.transferportal.provisioning.core.UserResource;
import io.transferportal.provisioning.kms.KeyLookup;
import io.transferportal.provisioning.s3.BucketEncryption.Encryption;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bucket rules against moto_server: the bucket's Region, the bucket owner on every S3
 * request, the bucket policy's effect on the plan, what the write sends, and the order of
 * the bucket-wide change after the key policy.
 */
@PortalIntegrationTest
class BucketEncryptionIntegrationTests {

	@Autowired
	ProvisioningEngine engine;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	S3Client s3;

	@Autowired
	AwsProperties properties;

	@Autowired
	KeyLookup keys;

	@Autowired
	Targets targets;

	@Autowired
	List<UserResource<?, ?>> resources;

	String server;

	String bucket;

	@BeforeEach
	void setUp() {
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
	}

	@Test
	void aBucketInAnotherRegionThanTheKeyIsAFieldErrorNamingItsRegionAndNothingIsWritten() {
		String elsewhere = AwsFixtures.unique("portal-test-eu-");
		this.s3.createBucket((request) -> request.bucket(elsewhere)
			.createBucketConfiguration((config) -> config.locationConstraint(BucketLocationConstraint.EU_WEST_1)));
		assertThat(this.s3.getBucketLocation((request) -> request.bucket(elsewhere)).locationConstraintAsString())
			.isEqualTo("eu-west-1");
		UserSpec spec = AwsFixtures.spec(this.server, "alice", elsewhere, this.aws.rootDelegatingKey(),
				TestKeys.ED25519_A);
		this.recorder.reset();

		assertThatExceptionOfType(InvalidUserSpecException.class).isThrownBy(() -> this.engine.plan(spec))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement().satisfies((violation) -> {
				assertThat(violation.field()).isEqualTo("bucket");
				assertThat(violation.message()).contains("Region eu-west-1", "us-east-1");
			}));
		// the Region check comes before every other read of the bucket, and nothing is
		// written
		assertThat(this.recorder.callsAbout(elsewhere)).containsExactly("S3:GetBucketLocation");
	}

	@Test
	void aBucketInTheKeysRegionPassesTheCheck() {
		Target target = this.targets.resolve(
				AwsFixtures.spec(this.server, "alice", this.bucket, this.aws.rootDelegatingKey(), TestKeys.ED25519_A));

		assertThat(resource(this.s3).checkInputs(target)).isEmpty();
	}

	@Test
	void everyS3CallNamesThePortalsAccountAsTheExpectedBucketOwner() {
		String key = this.aws.rootDelegatingKey();
		Target target = this.targets
			.resolve(AwsFixtures.spec(this.server, "alice", this.bucket, key, TestKeys.ED25519_A));
		Requests requests = new Requests();
		try (S3Client recording = recordingClient(requests)) {
			BucketEncryption resource = resource(recording);
			assertThat(resource.checkInputs(target)).isEmpty();
			Decision<Encryption> decision = resource.decide(target, resource.read(target));
			resource.write(target, decision.work());
		}

		assertThat(requests.operations).containsExactly("GetBucketLocation", "GetBucketEncryption", "GetBucketPolicy",
				"PutBucketEncryption");
		assertThat(requests.requests)
			.allSatisfy((request) -> assertThat(request.getValueForField("ExpectedBucketOwner", String.class))
				.as(request.getClass().getSimpleName())
				.contains(AwsFixtures.ACCOUNT));
		ServerSideEncryptionRule rule = rule(this.bucket);
		assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
		assertThat(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(key);
		assertThat(rule.bucketKeyEnabled()).isTrue();
	}

	/**
	 * moto stores the rule but answers GetBucketEncryption without
	 * BlockedEncryptionTypes, so what reaches S3 is read from the request body the SDK
	 * sends.
	 */
	@Test
	void theWriteSendsTheBlockedEncryptionTypesItWasGiven() {
		String key = this.aws.rootDelegatingKey();
		Target target = this.targets
			.resolve(AwsFixtures.spec(this.server, "alice", this.bucket, key, TestKeys.ED25519_A));
		Requests requests = new Requests();
		try (S3Client recording = recordingClient(requests)) {
			resource(recording).write(target, Encryption.desired(key, List.of("SSE-C")));
		}

		assertThat(requests.bodies).singleElement()
			.satisfies((body) -> assertThat(body.replaceAll("\\s", ""))
				.contains("<BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes>")
				.contains("<KMSMasterKeyID>" + key + "</KMSMasterKeyID>"));
		assertThat(rule(this.bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(key);
	}

	@Test
	void aBucketPolicyThatDeniesUploadsWithoutTheKmsHeaderIsAPlanWarningQuotingItsSid() {
		String policy = """
				{"Version": "2012-10-17", "Statement": [
				 {"Sid": "DenyUploadsWithoutKms", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
				  "Resource": "arn:aws:s3:::%1$s/*",
				  "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
				 {"Sid": "OnlyThroughOurEndpoint", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
				  "Resource": ["arn:aws:s3:::%1$s", "arn:aws:s3:::%1$s/*"],
				  "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}""".formatted(this.bucket);
		this.s3.putBucketPolicy((request) -> request.bucket(this.bucket).policy(policy));
		assertThat(this.s3.getBucketPolicy((request) -> request.bucket(this.bucket)).policy())
			.contains("DenyUploadsWithoutKms");

		Plan plan = this.engine.plan(
				AwsFixtures.spec(this.server, "alice", this.bucket, this.aws.rootDelegatingKey(), TestKeys.ED25519_A));

		assertThat(plan.problems()).isEmpty();
		PlannedChange change = plan.change(ResourceKind.BUCKET_ENCRYPTION).orElseThrow();
		assertThat(change.action()).isEqualTo(ChangeAction.CREATE);
		assertThat(change.warnings()).satisfiesExactly(
				(warning) -> assertThat(warning).startsWith("Bucket policy statement \"DenyUploadsWithoutKms\" denies "
						+ "s3:PutObject under conditions on s3:x-amz-server-side-encryption; Transfer Family sends no "
						+ "encryption header"),
				(warning) -> assertThat(warning)
					.startsWith("Bucket policy statement \"OnlyThroughOurEndpoint\" denies s3:PutObject and "
							+ "s3:GetObject under conditions on aws:SourceVpce; Transfer Family reaches S3 from the "
							+ "AWS network"));
	}

	@Test
	void theKeyPolicyIsAppliedBeforeTheBucketWideEncryptionChange() {
		assertThat(this.resources.stream()
			.sorted(Comparator.comparingInt(UserResource::getOrder))
			.flatMap((resource) -> resource.kinds().stream())
			.filter((kind) -> kind == ResourceKind.KEY_POLICY || kind == ResourceKind.BUCKET_ENCRYPTION))
			.containsExactly(ResourceKind.KEY_POLICY, ResourceKind.BUCKET_ENCRYPTION);
		String key = this.aws.keyWithoutRootDelegation();
		UserSpec spec = AwsFixtures.spec(this.server, "alice", this.bucket, key, TestKeys.ED25519_A);
		Plan plan = this.engine.plan(spec);
		assertThat(plan.changes()).extracting(PlannedChange::resource)
			.containsSubsequence(ResourceKind.KEY_POLICY, ResourceKind.BUCKET_ENCRYPTION);
		this.recorder.reset();

		this.engine.apply(plan, ProvisioningListener.NONE);

		String keyId = key.substring(key.lastIndexOf('/') + 1);
		assertThat(this.recorder.callsAbout(this.bucket, keyId))
			.filteredOn((call) -> call.endsWith(":PutKeyPolicy") || call.endsWith(":PutBucketEncryption"))
			.containsExactly("Kms:PutKeyPolicy", "S3:PutBucketEncryption");
		assertThat(rule(this.bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(key);
		assertThat(this.aws.keyPolicy(key)).contains(plan.change(ResourceKind.ROLE).orElseThrow().resourceArn());
	}

	@Test
	void removalNeverTurnsBucketEncryptionOff() {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.server, "alice", this.bucket, key, TestKeys.ED25519_A);
		this.engine.apply(this.engine.plan(spec), ProvisioningListener.NONE);

		Plan removal = this.engine.planRemoval(spec, List.of(spec));
		assertThat(removal.change(ResourceKind.BUCKET_ENCRYPTION).orElseThrow().action()).isEqualTo(ChangeAction.NONE);
		this.engine.apply(removal, ProvisioningListener.NONE);

		assertThat(rule(this.bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(key);
	}

	private BucketEncryption resource(S3Client client) {
		return new BucketEncryption(client, this.keys);
	}

	private ServerSideEncryptionRule rule(String name) {
		return this.s3.getBucketEncryption((request) -> request.bucket(name))
			.serverSideEncryptionConfiguration()
			.rules()
			.get(0);
	}

	/**
	 * A client like the portal's, against the same moto_server, recording its requests.
	 */
	private S3Client recordingClient(Requests requests) {
		return S3Client.builder()
			.region(Region.of(this.properties.region()))
			.endpointOverride(this.properties.endpoint())
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.overrideConfiguration((config) -> config.addExecutionInterceptor(requests))
			.build();
	}

	/** The requests a client sends: operation, request object and body. */
	static class Requests implements ExecutionInterceptor {

		final List<String> operations = new CopyOnWriteArrayList<>();

		final List<SdkRequest> requests = new CopyOnWriteArrayList<>();

		final List<String> bodies = new CopyOnWriteArrayList<>();

		@Override
		public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
			this.operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
			this.requests.add(context.request());
		}

		@Override
		public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
			context.requestBody().ifPresent((body) -> {
				try (InputStream content = body.contentStreamProvider().newStream()) {
					this.bodies.add(new String(content.readAllBytes(), StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}

	}

}
