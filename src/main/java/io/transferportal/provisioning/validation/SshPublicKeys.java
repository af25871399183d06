package io.transferportal.provisioning.validation;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.jspecify.annotations.Nullable;

/**
 * Parses OpenSSH public keys with Apache MINA SSHD and applies AWS Transfer's rules: RSA
 * (at least {@code minRsaBits}), ED25519 and ECDSA on P-256/384/521, at most 2,048
 * characters.
 */
public final class SshPublicKeys {

	/** AWS Transfer's limit on {@code SshPublicKeyBody}. */
	public static final int MAX_LENGTH = 2048;

	private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");

	private static final Set<String> TYPES = Set.of("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256",
			"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

	/** PuTTY's private key files ({@code .ppk}) start with this. */
	private static final Pattern PUTTY_PRIVATE_KEY = Pattern.compile("PuTTY-User-Key-File-\\d+:");

	private SshPublicKeys() {
	}

	/**
	 * Whether a text holds a private key (PEM or OpenSSH {@code BEGIN ... PRIVATE KEY},
	 * or a PuTTY {@code .ppk}): what a person pastes by mistake instead of the
	 * {@code .pub} file.
	 */
	public static boolean holdsPrivateKey(@Nullable String text) {
		return text != null && (PRIVATE_KEY.matcher(text).find() || PUTTY_PRIVATE_KEY.matcher(text).find());
	}

	/**
	 * Parses one key line.
	 * @throws IllegalArgumentException with a message that tells the requester what to
	 * paste instead
	 */
	public static ParsedKey parse(String line, int minRsaBits) {
		if (line.isBlank()) {
			throw new IllegalArgumentException("is empty");
		}
		if (holdsPrivateKey(line)) {
			throw new IllegalArgumentException(
					"is a private key; never share it. Paste the public key (the .pub file) instead");
		}
		if (line.contains("BEGIN PGP")) {
			throw new IllegalArgumentException("is a PGP key, not an SSH public key");
		}
		if (line.contains("BEGIN SSH2 PUBLIC KEY")) {
			throw new IllegalArgumentException(
					"is in SSH2 (RFC 4716) format; convert it with 'ssh-keygen -i -f key.pub' and paste the one-line OpenSSH form");
		}
		if (line.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
		}
		if (line.lines().count() > 1) {
			throw new IllegalArgumentException("must be a single line; enter each key separately");
		}
		if (line.chars().anyMatch((c) -> Character.isISOControl(c) && c != '\t')) {
			throw new IllegalArgumentException("contains control characters");
		}
		String[] parts = line.strip().split("[ \t]+", 3);
		if (parts.length < 2 || !TYPES.contains(parts[0])) {
			throw new IllegalArgumentException("must start with one of "
					+ String.join(", ", TYPES.stream().sorted().toList()) + " followed by the base64 key");
		}
		PublicKey key = resolve(line.strip(), parts[1]);
		String type = KeyUtils.getKeyType(key);
		if (!parts[0].equals(type)) {
			throw new IllegalArgumentException("says " + parts[0] + " but holds a key of type " + type);
		}
		// the parser ignores trailing bytes and missing padding; accept only the
		// canonical encoding, so that one key has one text (duplicates and drift are
		// compared by that text)
		String canonical = PublicKeyEntry.toString(key).split(" ")[1];
		if (!canonical.equals(parts[1])) {
			throw new IllegalArgumentException(
					"is damaged: its key data has extra or missing characters (copy the whole .pub line again)");
		}
		int bits = bits(key);
		if (key instanceof RSAPublicKey && bits < minRsaBits) {
			throw new IllegalArgumentException(
					"is a " + bits + "-bit RSA key; at least " + minRsaBits + " bits are required");
		}
		String comment = (parts.length == 3) ? parts[2].strip() : null;
		String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
		return new ParsedKey(type, parts[1], (comment == null || comment.isEmpty()) ? null : comment, fingerprint,
				bits);
	}

	private static PublicKey resolve(String line, String base64) {
		try {
			// strict: a lenient decoder would accept damaged keys
			Base64.getDecoder().decode(base64);
			AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
			return entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
		}
		catch (Exception ex) {
			throw new IllegalArgumentException("is not a valid OpenSSH public key (the key data does not decode)");
		}
	}

	private static int bits(PublicKey key) {
		if (key instanceof RSAPublicKey rsa) {
			return rsa.getModulus().bitLength();
		}
		if (key instanceof ECPublicKey ec) {
			return ec.getParams().getCurve().getField().getFieldSize();
		}
		return 256; // ed25519
	}

	/**
	 * How a person recognises a key: type, SHA-256 fingerprint (as {@code ssh-keygen -l}
	 * prints it) and comment; a key that does not parse shows its type only.
	 */
	public static String describe(String body) {
		try {
			return parse(body, 0).description();
		}
		catch (IllegalArgumentException ex) {
			return "unreadable key: " + body.strip().split("\\s+")[0];
		}
	}

	/**
	 * A key body without its comment: two bodies with the same identity are the same key.
	 */
	public static String identity(String body) {
		String[] parts = body.strip().split("[ \t]+");
		return (parts.length >= 2) ? parts[0] + " " + parts[1] : body.strip();
	}

	/**
	 * A validated public key.
	 *
	 * @param type the key type, e.g. {@code ssh-ed25519}
	 * @param base64 the key data
	 * @param comment the comment after the key data, if any
	 * @param fingerprint {@code SHA256:...} as {@code ssh-keygen -l} prints it
	 * @param bits key size
	 */
	public record ParsedKey(String type, String base64, @Nullable String comment, String fingerprint, int bits) {

		/** The key as sent to AWS Transfer: type, data and comment. */
		public String body() {
			return (this.comment != null) ? this.type + " " + this.base64 + " " + this.comment
					: this.type + " " + this.base64;
		}

		/**
		 * The key without its comment: two bodies with the same identity are the same
		 * key.
		 */
		public String identity() {
			return this.type + " " + this.base64;
		}

		/** Type, fingerprint and comment. */
		public String description() {
			return this.type + " " + this.fingerprint + ((this.comment != null) ? " " + this.comment : "");
		}

	}

}
