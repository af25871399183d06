package io.transferportal.support;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

/** SSH public keys for tests (public keys only: nothing secret here). */
public final class TestKeys {

	public static final String ED25519_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIClN4VSHhNVIgomOq/YK/aqi/SrtlEkhfjSZS6QH7zLm alice@laptop";

	public static final String ED25519_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEO+f3x5bGkA9SZ6I5J/qrrgkDmJHI9lK1hNGidom3zP alice@laptop";

	public static final String ED25519_C = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHQins05xwjg/2aAbKSWBMV4JycG9vWLms3L0dzFATza alice@laptop";

	public static final String RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC37yfTPt0lHk/7wW+AA0fnqiKhdpu85Kai0ywXLQ4WP+w24P+Siey4exRp/yWlPj5oj/Z24xTAVZhMNiBGz3NpOYkonxAlUQjAevHewOXoMi/hIRgNfkj7nyGqcv19YXG466jI4lZtEkjFHq9qq60XzXofmP6XHzflrci2yXAD9Q== old";

	public static final String RSA_2048 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC2FVxQ8rB1fI9Ue426u5X3YosfTv6D7HiJtxk6NaRJLNlaKD8PLXnr4rybqhOAVFRiVajMgKjgspC4/y0ViR8RJvVl0oYTIghyYCiIo50VuUUh56RoXK+btaeA/B+cN01VNmN1MxK55snKFgUy7npQkmQAti8kHROtOMqhu8Oy7GY/Dcob8ksZT7ZcqFya96GCa2DqN4N/xE7dZ1WGRFS2J942RwaUpq0jMjrDCtD4/nWEpRav9iinVcVysIU8IRIRBjhx5QMvl+sWhU0HAmDyRCCiTTwtbdToDmmrB2mufWoKMFGa+zVXZqJWNzjZ5gCKHmfxHQ8MsimzJktQnXhX rsa2048";

	public static final String ECDSA_256 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEyF3OpLMnpANqsNcbuYXcHYFnQzngJhL0qKbJoRltlAZgbfo6X8EILwJ8rcvKjhLK5PEuJ3bhUlKeTLOBCodqU= ec256";

	public static final String ECDSA_384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBCDuWjE9un94LP8LFL1UblSvmq9olWc2ZXyQPed+B1bXba6MowKJEpcDalEAm0DkQDyopqJoMALupK5dt+/exfWZm18gRJCWdHbJpjfDDr6RifiHjrAGORfdPlm312QCgg== ec384";

	public static final String ECDSA_521 = "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBADLxvLEVaR7OPlK0D6Mar00lb0YcNWRR0Aw6p4eWXfReuMxmglS88x86SVSDx5eVsck35qa1StiJ1lGVpVEjBAhtQEQiHknqJx8Gt1LKGc/F+ZNh1MMVby4xg2U7zsLD4bfY9p4+xudcwAO9HDzt7LsQndgB21TBYM3MVgBUYM8+CORCA== ec521";

	/**
	 * What a requester pastes by mistake: the private key file (shortened; only the
	 * markers matter).
	 */
	public static final String PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----";

	public static final String PGP_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF1234567890\n-----END PGP PUBLIC KEY BLOCK-----";

	private TestKeys() {
	}

	/** A fresh ECDSA P-256 public key, for tests that need many distinct keys. */
	public static String newEcdsaKey(String comment) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return PublicKeyEntry.toString(generator.generateKeyPair().getPublic()) + " " + comment;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
