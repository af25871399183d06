package io.transferportal.provisioning.validation;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.UserSpec;

import static org.assertj.core.api.Assertions.assertThat;

/** Home folders on one bucket must not be, contain or lie inside another user's. */
class HomeFolderOverlapsTests {

	static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	@ParameterizedTest
	@CsvSource({ "acme, acme, is the home folder acme", "acme/in, acme, lies inside the home folder acme",
			"acme, acme/in/deep, contains the home folder acme/in/deep" })
	void overlappingFoldersAreRefusedNamingTheOtherUser(String folder, String other, String relation) {
		assertThat(HomeFolderOverlaps.find(spec("s-0123456789abcdef0", "new", "inbox", folder),
				List.of(spec("s-0123456789abcdef1", "olga", "inbox", other))))
			.singleElement()
			.satisfies((violation) -> {
				assertThat(violation.field()).isEqualTo("homePrefix");
				assertThat(violation.message()).isEqualTo("home folder " + folder + " " + relation
						+ " of user olga on s-0123456789abcdef1 in bucket inbox; users must not share folders (each "
						+ "could read and write the other's files)");
			});
	}

	@ParameterizedTest
	@CsvSource({ "acme, acme2, inbox", "acme2, acme, inbox", "acme, Acme, inbox", "acme/in, acme/out, inbox",
			"acme, acme, other-bucket" })
	void siblingsOtherCaseAndOtherBucketsAreFine(String folder, String other, String otherBucket) {
		assertThat(HomeFolderOverlaps.find(spec("s-0123456789abcdef0", "new", "inbox", folder),
				List.of(spec("s-0123456789abcdef0", "olga", otherBucket, other))))
			.isEmpty();
	}

	@Test
	void theUserItselfAndTheDefaultFolderCount() {
		UserSpec self = spec("s-0123456789abcdef0", "acme", "inbox", null);
		assertThat(HomeFolderOverlaps.find(self, List.of(self))).isEmpty();
		// no prefix given: the folder is the user name
		assertThat(HomeFolderOverlaps.find(self, List.of(spec("s-0123456789abcdef1", "acme", "inbox", null),
				spec("s-0123456789abcdef1", "beta", "inbox", "acme/archive"))))
			.hasSize(2);
	}

	private static UserSpec spec(String server, String user, String bucket, String prefix) {
		return new UserSpec(server, user, bucket, prefix, KEY, List.of(), AccessLevel.READ_WRITE, null, Map.of());
	}

}
