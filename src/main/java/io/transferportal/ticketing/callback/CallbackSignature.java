package io.transferportal.ticketing.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Portal-Signature} of a callback: {@code sha256=} and the lower-case hex
 * HMAC-SHA256 of the exact body bytes, keyed with the client's callback secret (UTF-8),
 * so the receiver can tell the portal sent it unchanged.
 */
final class CallbackSignature {

	static final String HEADER = "X-Portal-Signature";

	private static final String ALGORITHM = "HmacSHA256";

	private CallbackSignature() {
	}

	static String sign(byte[] body, String secret) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
