package io.transferportal.provisioning.kms;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

import org.springframework.stereotype.Component;

/**
 * Reads key metadata, e.g. to resolve the alias a bucket's encryption names to a key ARN.
 */
@Component
public class KeyLookup {

	private final KmsClient kms;

	KeyLookup(KmsClient kms) {
		this.kms = kms;
	}

	public KeyMetadata describe(String keyIdArnOrAlias) {
		return this.kms.describeKey((request) -> request.keyId(keyIdArnOrAlias)).keyMetadata();
	}

	/**
	 * The key ARN behind an id, ARN or alias; the input itself if KMS cannot resolve it.
	 */
	public String resolveArn(String keyIdArnOrAlias) {
		try {
			return describe(keyIdArnOrAlias).arn();
		}
		catch (SdkException ex) {
			return keyIdArnOrAlias;
		}
	}

}
