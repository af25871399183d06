package io.transferportal.provisioning.kms;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.AliasListEntry;

import io.transferportal.provisioning.KeyChoice;

import static org.assertj.core.api.Assertions.assertThat;

class KeyAliasesTests {

	@Test
	void anAwsManagedAliasOrOneWithoutAKeyIsNoChoice() {
		AliasListEntry managed = AliasListEntry.builder()
			.aliasName("alias/aws/s3")
			.aliasArn("arn:aws:kms:eu-west-1:111122223333:alias/aws/s3")
			.targetKeyId("k1")
			.build();
		AliasListEntry unbound = AliasListEntry.builder()
			.aliasName("alias/spare")
			.aliasArn("arn:aws:kms:eu-west-1:111122223333:alias/spare")
			.build();
		AliasListEntry bound = AliasListEntry.builder()
			.aliasName("alias/payments")
			.aliasArn("arn:aws-cn:kms:cn-north-1:111122223333:alias/payments")
			.targetKeyId("1234abcd-12ab-34cd-56ef-1234567890ab")
			.build();

		assertThat(KeyAliases.choice(managed)).isNull();
		assertThat(KeyAliases.choice(unbound)).isNull();
		assertThat(KeyAliases.choice(bound)).isEqualTo(new KeyChoice("alias/payments",
				"arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
	}

}
