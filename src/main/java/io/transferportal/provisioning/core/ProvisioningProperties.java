package io.transferportal.provisioning.core;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the provisioning engine.
 *
 * @param rolePrefix name prefix of dedicated roles
 * @param rolePath IAM path of dedicated roles, so the portal's own IAM permissions can be
 * limited to that path
 * @param maxSshKeys most SSH keys per user (AWS Transfer allows 50)
 * @param minRsaBits smallest accepted RSA key size
 * @param iamPropagation retry of key-policy writes that fail because a just-created role
 * is not yet visible to KMS, and of role-policy writes that fail because it is not yet
 * visible to IAM
 * @param permissionsBoundaryArn managed policy set as the permissions boundary of every
 * dedicated role (many accounts allow {@code iam:CreateRole} only with an approved
 * boundary); {@code null} for none
 * @param existingRolePaths IAM paths under which existing roles may be named in a
 * request; empty refuses every existing role
 * @param roleMode dedicated roles (one per user) or shared roles (one per bucket, key and
 * access level) for new requests; a user keeps the kind of role it was provisioned with
 * @param keyPolicyMode how a key policy that does not delegate to the account lets users'
 * roles use the key
 * @param lock the leases behind the provisioning locks
 * @param keyPolicyLinger how long the run that is to write a key policy waits, before it
 * takes the key's lock, for other runs to queue for the same key, so that one
 * PutKeyPolicy serves them all; zero writes at once
 */
@Validated
@ConfigurationProperties("portal.provisioning")
public record ProvisioningProperties(
		@DefaultValue("transfer-portal-") @Pattern(regexp = "[\\w+=,.@-]{1,30}") String rolePrefix,
		@DefaultValue("/transfer-portal/") @Pattern(regexp = "/([\\x21-\\x7E]+/)?") String rolePath,
		@DefaultValue("50") @Min(1) @Max(50) int maxSshKeys, @DefaultValue("2048") @Min(2048) int minRsaBits,
		@DefaultValue @Valid @NotNull Propagation iamPropagation,
		@Nullable @Pattern(
				regexp = "arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/[\\x21-\\x7E]{1,512}") String permissionsBoundaryArn,
		@DefaultValue List<@Pattern(regexp = "/([\\x21-\\x7E]+/)?") String> existingRolePaths,
		@DefaultValue("dedicated") @NotNull RoleMode roleMode,
		@DefaultValue("role-list") @NotNull KeyPolicyMode keyPolicyMode, @DefaultValue @Valid @NotNull Lease lock,
		@DefaultValue("100ms") Duration keyPolicyLinger) {

	@ConstructorBinding
	public ProvisioningProperties {
		existingRolePaths = List.copyOf(existingRolePaths);
	}

	/**
	 * The settings as before role modes, key-policy modes and leases: their defaults.
	 */
	public ProvisioningProperties(String rolePrefix, String rolePath, int maxSshKeys, int minRsaBits,
			Propagation iamPropagation, @Nullable String permissionsBoundaryArn, List<String> existingRolePaths) {
		this(rolePrefix, rolePath, maxSshKeys, minRsaBits, iamPropagation, permissionsBoundaryArn, existingRolePaths,
				RoleMode.DEDICATED, KeyPolicyMode.ROLE_LIST, Lease.DEFAULTS, Duration.ofMillis(100));
	}

	/** How the portal's statements in a key policy let users' roles use the key. */
	public enum KeyPolicyMode {

		/**
		 * One ARN per role in statement {@code TransferPortalUserRoles}: a key-policy
		 * write for every new role, and a policy that grows with users (KMS allows 32 KB,
		 * about 340 roles).
		 */
		ROLE_LIST,

		/**
		 * One constant-size statement for every role under the portal's role path, used
		 * through S3 in the portal's account: written once per key, after which new users
		 * need no key-policy write. Roles outside the path are still listed one by one.
		 */
		ROLE_PATH

	}

	/**
	 * A lock is a lease in the database: taken and released in short transactions,
	 * renewed while its holder works, and taken over by another instance once it has
	 * expired (its holder died).
	 *
	 * @param ttl how long a lease lasts unless renewed; longer than the instances' clock
	 * skew (each instance writes the expiry with its own clock)
	 * @param renewEvery how often the holder renews it; well below the ttl
	 * @param pollInterval how often one waiting thread per instance and lock tries to
	 * take it (the others of that instance wait in memory, without a database connection)
	 */
	public record Lease(@DefaultValue("30s") Duration ttl, @DefaultValue("10s") Duration renewEvery,
			@DefaultValue("100ms") Duration pollInterval) {

		public static final Lease DEFAULTS = new Lease(Duration.ofSeconds(30), Duration.ofSeconds(10),
				Duration.ofMillis(100));

		public Lease {
			if (renewEvery.compareTo(ttl) >= 0) {
				throw new IllegalArgumentException("portal.provisioning.lock.renew-every (" + renewEvery
						+ ") must be shorter than the ttl (" + ttl + ")");
			}
		}

	}

	/**
	 * Which role a user the portal gives a role of its own assumes (a request naming an
	 * existing role always gets that one).
	 */
	public enum RoleMode {

		/** One role per user, trusted for that user only (the default). */
		DEDICATED,

		/**
		 * One portal-owned role per bucket, key and access level, trusted for the
		 * account's Transfer users, each user's limits in the session policy; so the
		 * account's role quota does not cap the number of users.
		 */
		SHARED

	}

	/**
	 * Bounded exponential backoff for IAM eventual consistency.
	 *
	 * @param maxRetries retries after the first attempt
	 * @param delay first delay
	 * @param maxDelay longest delay between attempts
	 */
	public record Propagation(@DefaultValue("12") @Min(0) int maxRetries, @DefaultValue("1s") Duration delay,
			@DefaultValue("15s") Duration maxDelay) {

		/**
		 * Retries what the SDK does not: answers that mean "not visible yet" rather than
		 * "wrong", with exponential backoff, a bounded number of times.
		 */
		public RetryTemplate retryOn(Class<? extends Throwable> notVisibleYet) {
			return new RetryTemplate(RetryPolicy.builder()
				.includes(notVisibleYet)
				.maxRetries(this.maxRetries)
				.delay(this.delay)
				.multiplier(2)
				.maxDelay(this.maxDelay)
				.build());
		}

	}

}
