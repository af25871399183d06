package io.transferportal.provisioning.validation;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.transferportal.provisioning.validation.SshPublicKeys.ParsedKey;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SshPublicKeys}. Expected fingerprints are the ones
 * {@code ssh-keygen -lf} prints for the keys in {@link TestKeys}.
 */
class SshPublicKeysTests {

	private static final int MIN_RSA_BITS = 2048;

	private static final String ED25519_A_DATA = "AAAAC3NzaC1lZDI1NTE5AAAAIClN4VSHhNVIgomOq/YK/aqi/SrtlEkhfjSZS6QH7zLm";

	private static final String ED25519_A_FINGERPRINT = "SHA256:AXGyw7i5raiw5/lrlkVw+X+Ix0Ygagdgp30jyUZ3saU";

	@Test
	void privateKeysAreToldApartFromPublicKeysInAWholeText() {
		assertThat(SshPublicKeys.holdsPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n")).isTrue();
		assertThat(SshPublicKeys.holdsPrivateKey("x\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n")).isTrue();
		assertThat(SshPublicKeys.holdsPrivateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----")).isTrue();
		assertThat(SshPublicKeys.holdsPrivateKey("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none")).isTrue();
		assertThat(SshPublicKeys.holdsPrivateKey(TestKeys.ED25519_A + "\n" + TestKeys.ED25519_B)).isFalse();
		assertThat(SshPublicKeys.holdsPrivateKey("-----BEGIN SSH2 PUBLIC KEY-----")).isFalse();
		assertThat(SshPublicKeys.holdsPrivateKey(null)).isFalse();
	}

	@Test
	void parsesEd25519KeyWithTypeDataCommentBitsAndFingerprint() {
		ParsedKey key = SshPublicKeys.parse(TestKeys.ED25519_A, MIN_RSA_BITS);
		assertThat(key.type()).isEqualTo("ssh-ed25519");
		assertThat(key.base64()).isEqualTo(ED25519_A_DATA);
		assertThat(key.comment()).isEqualTo("alice@laptop");
		assertThat(key.bits()).isEqualTo(256);
		assertThat(key.fingerprint()).isEqualTo(ED25519_A_FINGERPRINT);
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("acceptedKeys")
	void acceptsEverySupportedKeyType(String line, String type, int bits, String comment, String fingerprint) {
		ParsedKey key = SshPublicKeys.parse(line, MIN_RSA_BITS);
		assertThat(key.type()).isEqualTo(type);
		assertThat(key.bits()).isEqualTo(bits);
		assertThat(key.comment()).isEqualTo(comment);
		assertThat(key.fingerprint()).isEqualTo(fingerprint);
		assertThat(key.body()).isEqualTo(line);
	}

	static Stream<Arguments> acceptedKeys() {
		return Stream.of(
				Arguments.of(TestKeys.ED25519_B, "ssh-ed25519", 256, "alice@laptop",
						"SHA256:HUSvXEBhD5NMa7QINsHeNHnVgdJCiL+oUdgvRXk8KVk"),
				Arguments.of(TestKeys.RSA_2048, "ssh-rsa", 2048, "rsa2048",
						"SHA256:MrKvQm13Kou5ZCX7AVH5P7lo4E3WqvvZ3OZ8pxmkOOM"),
				Arguments.of(TestKeys.ECDSA_256, "ecdsa-sha2-nistp256", 256, "ec256",
						"SHA256:lWVdQ9Dmdz7exH/prREIk3c1Ml+X+lN8Q8zm2R9ger8"),
				Arguments.of(TestKeys.ECDSA_384, "ecdsa-sha2-nistp384", 384, "ec384",
						"SHA256:lj8r9qd8oxxkePUgwdCxZUeDiRj5wgZDzafil81buAE"),
				Arguments.of(TestKeys.ECDSA_521, "ecdsa-sha2-nistp521", 521, "ec521",
						"SHA256:5BHHQecJaaacl44JyZtM1nTBHK+ptlJK1ZXq+q8QckI"));
	}

	@Test
	void keyWithoutCommentHasNoCommentAndABodyWithoutTrailingSpace() {
		ParsedKey key = SshPublicKeys.parse("ssh-ed25519 " + ED25519_A_DATA, MIN_RSA_BITS);
		assertThat(key.comment()).isNull();
		assertThat(key.body()).isEqualTo("ssh-ed25519 " + ED25519_A_DATA);
		assertThat(key.identity()).isEqualTo(key.body());
	}

	@Test
	void keepsACommentWithSpacesWholeAndStripsSurroundingWhitespace() {
		ParsedKey key = SshPublicKeys.parse("  ssh-ed25519 " + ED25519_A_DATA + "   Alice Smith (laptop)  ",
				MIN_RSA_BITS);
		assertThat(key.comment()).isEqualTo("Alice Smith (laptop)");
		assertThat(key.body()).isEqualTo("ssh-ed25519 " + ED25519_A_DATA + " Alice Smith (laptop)");
	}

	@Test
	void acceptsTabsBetweenTheParts() {
		ParsedKey key = SshPublicKeys.parse("ssh-ed25519\t" + ED25519_A_DATA + "\talice@laptop", MIN_RSA_BITS);
		assertThat(key.fingerprint()).isEqualTo(ED25519_A_FINGERPRINT);
		assertThat(key.body()).isEqualTo(TestKeys.ED25519_A);
	}

	@Test
	void identityIgnoresTheCommentSoTheSameKeyIsRecognisedUnderAnotherName() {
		ParsedKey original = SshPublicKeys.parse(TestKeys.ED25519_A, MIN_RSA_BITS);
		ParsedKey renamed = SshPublicKeys.parse("ssh-ed25519 " + ED25519_A_DATA + " alice@desktop", MIN_RSA_BITS);
		ParsedKey other = SshPublicKeys.parse(TestKeys.ED25519_B, MIN_RSA_BITS);
		assertThat(renamed.identity()).isEqualTo(original.identity()).isEqualTo("ssh-ed25519 " + ED25519_A_DATA);
		assertThat(renamed.body()).isNotEqualTo(original.body());
		assertThat(other.identity()).isNotEqualTo(original.identity());
	}

	@Test
	void rejectsRsaKeyBelowTheMinimumSizeNamingBothSizes() {
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(TestKeys.RSA_1024, MIN_RSA_BITS))
			.withMessage("is a 1024-bit RSA key; at least 2048 bits are required");
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(TestKeys.RSA_2048, 4096))
			.withMessage("is a 2048-bit RSA key; at least 4096 bits are required");
	}

	@Test
	void appliesTheMinimumSizeToRsaKeysOnly() {
		assertThat(SshPublicKeys.parse(TestKeys.ECDSA_256, 4096).bits()).isEqualTo(256);
		assertThat(SshPublicKeys.parse(TestKeys.ED25519_A, 4096).bits()).isEqualTo(256);
	}

	@Test
	void rejectsPrivateKeyWithAHelpfulMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(TestKeys.PRIVATE_KEY, MIN_RSA_BITS))
			.withMessageContaining("is a private key; never share it")
			.withMessageContaining("the .pub file");
	}

	@Test
	void rejectsPgpKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(TestKeys.PGP_KEY, MIN_RSA_BITS))
			.withMessage("is a PGP key, not an SSH public key");
	}

	@Test
	void rejectsSsh2FormatAndExplainsHowToConvertIt() {
		String ssh2 = """
				---- BEGIN SSH2 PUBLIC KEY ----
				Comment: "alice@laptop"
				%s
				---- END SSH2 PUBLIC KEY ----""".formatted(ED25519_A_DATA);
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(ssh2, MIN_RSA_BITS))
			.withMessageContaining("SSH2 (RFC 4716) format")
			.withMessageContaining("ssh-keygen -i -f key.pub");
	}

	@Test
	void acceptsUpTo2048CharactersAndRejectsLongerLines() {
		String upToLimit = TestKeys.ED25519_A + "x".repeat(SshPublicKeys.MAX_LENGTH - TestKeys.ED25519_A.length());
		assertThat(SshPublicKeys.parse(upToLimit, MIN_RSA_BITS).body()).hasSize(2048);
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(upToLimit + "x", MIN_RSA_BITS))
			.withMessage("is longer than 2048 characters");
	}

	@Test
	void rejectsSeveralKeysPastedAsOneEntry() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SshPublicKeys.parse(TestKeys.ED25519_A + "\n" + TestKeys.ED25519_B, MIN_RSA_BITS))
			.withMessage("must be a single line; enter each key separately");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\u0000", "\u0007", "\u001b[31m", "\r", "\u007f" })
	void rejectsControlCharacters(String control) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SshPublicKeys.parse(TestKeys.ED25519_A + control, MIN_RSA_BITS))
			.withMessage("contains control characters");
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq== old",
			"sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIA== yubikey",
			"AAAAC3NzaC1lZDI1NTE5AAAAIClN4VSHhNVIgomOq/YK/aqi/SrtlEkhfjSZS6QH7zLm alice@laptop", "ssh-ed25519" })
	void rejectsUnsupportedTypesAndMissingKeyDataListingTheAcceptedTypes(String line) {
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(line, MIN_RSA_BITS))
			.withMessage("must start with one of ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, "
					+ "ssh-ed25519, ssh-rsa followed by the base64 key");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "\t" })
	void rejectsBlankInput(String line) {
		assertThatIllegalArgumentException().isThrownBy(() -> SshPublicKeys.parse(line, MIN_RSA_BITS))
			.withMessage("is empty");
	}

	@ParameterizedTest
	@MethodSource("damagedKeyData")
	void rejectsDamagedKeyData(String data) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SshPublicKeys.parse("ssh-ed25519 " + data + " alice@laptop", MIN_RSA_BITS))
			.withMessage("is not a valid OpenSSH public key (the key data does not decode)");
	}

	static Stream<String> damagedKeyData() {
		return Stream.of(ED25519_A_DATA.substring(0, 40), // truncated
				ED25519_A_DATA.substring(0, 40) + "!" + ED25519_A_DATA.substring(41), // not
																						// base64
				ED25519_A_DATA.substring(0, 10) + "X" + ED25519_A_DATA.substring(11)); // damaged
																						// type
																						// inside
																						// the
																						// data
	}

	@Test
	void rejectsKeyDataOfAnotherAlgorithmThanTheDeclaredType() {
		// sshd's RSA decoder refuses ed25519 data itself, so this surfaces as undecodable
		// key data
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SshPublicKeys.parse("ssh-rsa " + ED25519_A_DATA + " alice@laptop", MIN_RSA_BITS))
			.withMessageStartingWith("is not a valid OpenSSH public key");
	}

	@Test
	void rejectsEcdsaKeyDataOfAnotherCurveThanTheDeclaredType() {
		String p384Data = TestKeys.ECDSA_384.split(" ")[1];
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SshPublicKeys.parse("ecdsa-sha2-nistp256 " + p384Data, MIN_RSA_BITS))
			.withMessage("says ecdsa-sha2-nistp256 but holds a key of type ecdsa-sha2-nistp384");
	}

	@Test
	void rejectsKeyDataWithExtraOrMissingCharactersThatTheParserWouldTolerate() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SshPublicKeys.parse(TestKeys.ED25519_A.replace(ED25519_A_DATA, ED25519_A_DATA + "AAAA"),
					MIN_RSA_BITS))
			.withMessageContaining("is damaged");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SshPublicKeys.parse(TestKeys.ECDSA_256.replace("= ec256", " ec256"), MIN_RSA_BITS))
			.withMessageContaining("is damaged");
	}

	@Test
	void aCommentMentioningPrivateKeysIsStillAPublicKey() {
		assertThat(SshPublicKeys.parse(TestKeys.ED25519_A + " rotated after PRIVATE KEY leak", MIN_RSA_BITS).comment())
			.isEqualTo("alice@laptop rotated after PRIVATE KEY leak");
	}

}
