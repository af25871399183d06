package io.transferportal.ticketing.callback;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signature is the standard HMAC-SHA256, so receivers can check it with any library.
 */
class CallbackSignatureTests {

	@Test
	void signWhenRfc4231TestCase2ThenKnownHmac() {
		byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);
		assertThat(CallbackSignature.sign(body, "Jefe"))
			.isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	}

	@Test
	void signWhenBodyChangesThenSignatureChanges() {
		assertThat(CallbackSignature.sign("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "secret"))
			.isNotEqualTo(CallbackSignature.sign("{\"a\":2}".getBytes(StandardCharsets.UTF_8), "secret"));
	}

}
