package io.transferportal.provisioning.kms;

import java.util.Optional;

import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.OriginType;

/**
 * What the key's metadata says about whether the portal may use it: pure functions of a
 * DescribeKey answer.
 */
final class KeyRules {

	private KeyRules() {
	}

	/**
	 * Why the portal refuses the key outright, if it does. An AWS managed key (such as
	 * {@code aws/s3}) has a key policy that nobody can change and that nobody can limit
	 * to some roles
	 * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key),
	 * so the portal could neither grant nor restrict a user's use of it.
	 */
	static Optional<String> refusal(KeyMetadata key) {
		if (key.keyManager() == KeyManagerType.AWS) {
			return Optional.of("key " + key.arn() + " is an AWS managed key" + description(key)
					+ ": its key policy cannot be changed or limited to some roles, so the portal cannot grant a user"
					+ " access to it; use a customer managed key");
		}
		return Optional.empty();
	}

	/**
	 * Why the key cannot be used now, if it cannot: KMS refuses Decrypt, Encrypt and
	 * GenerateDataKey on a key that is disabled, pending deletion, pending import or
	 * unavailable (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html),
	 * so no user of it can read or write files.
	 */
	static Optional<String> unusable(KeyMetadata key) {
		KeyState state = key.keyState();
		if (state == null || state == KeyState.ENABLED) {
			return Optional.empty();
		}
		String what = switch (state) {
			case DISABLED -> "is disabled";
			case PENDING_DELETION -> "is pending deletion"
					+ ((key.deletionDate() != null) ? " (to be deleted at " + key.deletionDate() + ")" : "")
					+ "; once it is deleted, nothing encrypted under it can be read again";
			case PENDING_IMPORT -> "is pending import: it has no key material (never imported, expired or deleted)";
			case UNAVAILABLE -> "is unavailable: its custom key store is disconnected";
			default -> "is " + key.keyStateAsString() + ", not Enabled";
		};
		return Optional.of("key " + key.arn() + " " + what + ", so no user of it can read or write files");
	}

	/**
	 * A warning for imported key material that expires: when it does, KMS deletes it, the
	 * key becomes PendingImport and every object encrypted under it is unreadable until
	 * the same material is imported again
	 * (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html).
	 */
	static Optional<String> expiryWarning(KeyMetadata key) {
		if (key.origin() == OriginType.EXTERNAL && key.expirationModel() == ExpirationModelType.KEY_MATERIAL_EXPIRES) {
			return Optional.of("The key uses imported key material that expires at " + key.validTo()
					+ " (ValidTo): from then on the user can neither read nor write files until the key material is"
					+ " imported again");
		}
		return Optional.empty();
	}

	private static String description(KeyMetadata key) {
		return (key.description() != null && !key.description().isBlank()) ? " (" + key.description() + ")" : "";
	}

}
