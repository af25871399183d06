package io.transferportal.provisioning.kms;

import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;

import io.transferportal.provisioning.KeyChoice;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;

/**
 * The account's customer managed keys by alias, for the request form's picker:
 * ListAliases, paged
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html). AWS managed
 * aliases ({@code alias/aws/...}) are left out: their keys' policies cannot be changed,
 * so the portal cannot give a role access to them. An alias without a key
 * ({@code TargetKeyId} absent) is left out too. Needs {@code kms:ListAliases}.
 */
@Component
public class KeyAliases {

	/** AWS managed keys' aliases start so ("alias/aws/s3"). */
	static final String AWS_MANAGED = "alias/aws/";

	private final KmsClient kms;

	KeyAliases(KmsClient kms) {
		this.kms = kms;
	}

	/** Each alias with its key's ARN, sorted by alias. */
	public List<KeyChoice> keys() {
		return AwsErrors.call(ResourceKind.KEY_POLICY, "ListAliases",
				() -> this.kms.listAliasesPaginator((request) -> request.limit(100))
					.aliases()
					.stream()
					.map(KeyAliases::choice)
					.filter((choice) -> choice != null)
					.sorted(Comparator.comparing(KeyChoice::alias))
					.toList());
	}

	/**
	 * The key's ARN from the alias's: same partition, Region and account, {@code key/}
	 * and the target key id instead of {@code alias/name}.
	 */
	static @Nullable KeyChoice choice(AliasListEntry alias) {
		String name = alias.aliasName();
		String arn = alias.aliasArn();
		if (name == null || arn == null || alias.targetKeyId() == null || name.startsWith(AWS_MANAGED)
				|| !arn.endsWith(":" + name)) {
			return null;
		}
		return new KeyChoice(name, arn.substring(0, arn.length() - name.length()) + "key/" + alias.targetKeyId());
	}

}
