package io.transferportal.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.kms.KmsClient;

import io.transferportal.provisioning.kms.KeyAliases;
import io.transferportal.provisioning.s3.BucketList;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * The pickers of the request form, read from moto: the account's buckets, and its
 * customer managed keys by alias with each key's ARN.
 */
@PortalIntegrationTest
class ResourceChoicesIntegrationTests {

	@Autowired
	AwsFixtures aws;

	@Autowired
	KmsClient kms;

	@Autowired
	BucketList buckets;

	@Autowired
	KeyAliases aliases;

	@Test
	void theBucketsAndTheKeysByAliasAreListedWithTheKeysArns() {
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		String alias = "alias/" + AwsFixtures.unique("picker");
		this.kms.createAlias((request) -> request.aliasName(alias).targetKeyId(key));

		assertThat(this.buckets.names()).contains(bucket).isSorted();
		assertThat(this.aliases.keys()).contains(new KeyChoice(alias, key))
			.as("no AWS managed key, whose policy the portal cannot change")
			.noneMatch((choice) -> choice.alias().startsWith("alias/aws/"));
	}

	@Test
	void aListIsKeptForAMinuteAndAFailureIsNotKept() {
		BucketList list = mock(BucketList.class);
		AtomicInteger reads = new AtomicInteger();
		willAnswer((call) -> {
			if (reads.incrementAndGet() == 1) {
				throw new ProvisioningException(ResourceKind.BUCKET_ENCRYPTION, "ListBuckets: access denied");
			}
			return List.of("b-" + reads.get());
		}).given(list).names();
		TestClock clock = new TestClock();
		ResourceChoices choices = new ResourceChoices(list, mock(KeyAliases.class), clock);

		assertThat(choices.buckets()).isEqualTo(new ResourceChoices.Choices<>(List.of(), "ListBuckets: access denied"));
		assertThat(choices.buckets().items()).as("read again after a failure").containsExactly("b-2");
		clock.advance(Duration.ofSeconds(59));
		assertThat(choices.buckets().items()).as("kept").containsExactly("b-2");
		clock.advance(Duration.ofSeconds(2));
		assertThat(choices.buckets().items()).as("read again after a minute").containsExactly("b-3");
	}

}
