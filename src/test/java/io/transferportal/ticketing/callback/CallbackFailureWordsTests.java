package io.transferportal.ticketing.callback;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed delivery is recorded in words an API client can read, without class names. */
class CallbackFailureWordsTests {

	@Test
	void eachFailureIsSaidInWords() {
		assertThat(CallbackSender.describe(new HttpTimeoutException("request timed out")))
			.isEqualTo("no answer within the timeout");
		assertThat(CallbackSender.describe(new ConnectException("Connection refused")))
			.isEqualTo("could not connect: Connection refused");
		assertThat(CallbackSender.describe(new IOException("HTTP/1.1 header parser received no bytes")))
			.isEqualTo("delivery failed: HTTP/1.1 header parser received no bytes");
		assertThat(CallbackSender.describe(new IllegalStateException())).isEqualTo("delivery failed")
			.doesNotContain("Exception");
	}

}
