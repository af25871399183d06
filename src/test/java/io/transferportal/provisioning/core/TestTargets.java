package io.transferportal.provisioning.core;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.aws.TestAccounts;
import io.transferportal.support.AwsFixtures;

/**
 * Targets derived by the real {@link Targets} (names, ARNs, tags and policies) in account
 * {@value AwsFixtures#ACCOUNT}, us-east-1, with the default properties (existing roles
 * allowed under {@code /partners/}); so unit tests of decisions cannot drift from what
 * the engine computes.
 */
public final class TestTargets {

	public static final ProvisioningProperties PROPERTIES = properties(null, List.of("/partners/"));

	private static final Targets TARGETS = new Targets(TestAccounts.fixed(AwsFixtures.ACCOUNT, "us-east-1"),
			PROPERTIES);

	private TestTargets() {
	}

	public static Target resolve(UserSpec spec) {
		return TARGETS.resolve(spec);
	}

	/** The target of a change from the approved {@code previous} settings. */
	public static Target resolveChange(UserSpec previous, UserSpec spec) {
		return TARGETS.resolveChange(previous, spec);
	}

	/** A target as the engine derives it with these settings. */
	public static Target resolve(UserSpec spec, ProvisioningProperties properties) {
		return new Targets(TestAccounts.fixed(AwsFixtures.ACCOUNT, "us-east-1"), properties).resolve(spec);
	}

	/**
	 * The default settings with a short propagation retry, this permissions boundary and
	 * these existing-role paths.
	 */
	public static ProvisioningProperties properties(@Nullable String permissionsBoundaryArn,
			List<String> existingRolePaths) {
		return new ProvisioningProperties("transfer-portal-", "/transfer-portal/", 50, 2048,
				new ProvisioningProperties.Propagation(3, Duration.ofMillis(1), Duration.ofMillis(5)),
				permissionsBoundaryArn, existingRolePaths);
	}

	/** The default settings with shared roles. */
	public static ProvisioningProperties sharedRoles() {
		return new ProvisioningProperties("transfer-portal-", "/transfer-portal/", 50, 2048,
				new ProvisioningProperties.Propagation(3, Duration.ofMillis(1), Duration.ofMillis(5)), null, List.of(),
				ProvisioningProperties.RoleMode.SHARED, ProvisioningProperties.KeyPolicyMode.ROLE_LIST,
				ProvisioningProperties.Lease.DEFAULTS, Duration.ofMillis(100));
	}

	/** Targets derived with these settings. */
	public static Targets targets(ProvisioningProperties properties) {
		return new Targets(TestAccounts.fixed(AwsFixtures.ACCOUNT, "us-east-1"), properties);
	}

}
