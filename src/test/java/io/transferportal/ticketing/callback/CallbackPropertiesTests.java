package io.transferportal.ticketing.callback;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait between attempts doubles from the initial backoff up to the maximum. */
class CallbackPropertiesTests {

	CallbackProperties properties = new CallbackProperties(List.of(), Duration.ofSeconds(2), Duration.ofMinutes(5), 10,
			Duration.ofSeconds(1), Duration.ofSeconds(5));

	@Test
	void backoffWhenFailuresThenDoublesUpToMaximum() {
		assertThat(this.properties.backoff(1)).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.properties.backoff(2)).isEqualTo(Duration.ofSeconds(4));
		assertThat(this.properties.backoff(3)).isEqualTo(Duration.ofSeconds(8));
		assertThat(this.properties.backoff(8)).isEqualTo(Duration.ofSeconds(256));
		assertThat(this.properties.backoff(9)).isEqualTo(Duration.ofMinutes(5));
		assertThat(this.properties.backoff(1_000)).isEqualTo(Duration.ofMinutes(5));
	}

}
