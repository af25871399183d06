package io.transferportal.requests;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON columns: a list of SSH keys to retire is SQL NULL when there is none, and a
 * row holding NULL or the JSON text {@code null} (as rows written before did) reads as
 * none, never as an error.
 */
class JsonTests {

	private final Json.StringListConverter lists = new Json.StringListConverter();

	@Test
	void noListIsSqlNullBothWays() {
		assertThat(this.lists.convertToDatabaseColumn(null)).isNull();
		assertThat(this.lists.convertToEntityAttribute(null)).isNull();
		assertThat(this.lists.convertToEntityAttribute("null")).isNull();
	}

	@Test
	void aListRoundTrips() {
		List<String> keys = List.of("ssh-ed25519 AAAA one", "ssh-ed25519 AAAA two");

		assertThat(this.lists.convertToEntityAttribute(this.lists.convertToDatabaseColumn(keys))).isEqualTo(keys);
	}

}
