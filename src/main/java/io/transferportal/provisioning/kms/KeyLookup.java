package io.transferportal.provisioning.kms;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.ReadCache;

/**
 * Reads key metadata, e.g. to resolve the alias a bucket's encryption names to a key ARN.
 */
@Component
public class KeyLookup {

	private final KmsClient kms;

	KeyLookup(KmsClient kms) {
		this.kms = kms;
	}

	/**
	 * DescribeKey; within a verification run ({@link ReadCache}) once per key, however
	 * many users share it.
	 */
	public KeyMetadata describe(String keyIdArnOrAlias) {
		KeyMetadata key = ReadCache.get("kms-describe-key:" + keyIdArnOrAlias,
				() -> this.kms.describeKey((request) -> request.keyId(keyIdArnOrAlias)).keyMetadata());
		// an alias and the key ARN name the same key: one read serves both
		return ReadCache.get("kms-describe-key:" + key.arn(), () -> key);
	}

	/**
	 * The key ARN behind an id, ARN or alias; the input itself if KMS cannot resolve it.
	 */
	public String resolveArn(String keyIdArnOrAlias) {
		KeyMetadata key = AwsErrors.findOrNull(ResourceKind.BUCKET_ENCRYPTION, "DescribeKey " + keyIdArnOrAlias,
				() -> describe(keyIdArnOrAlias));
		return (key != null) ? key.arn() : keyIdArnOrAlias;
	}

}
