package io.transferportal.support;

/**
 * The tests that take minutes each (a portal killed at every write boundary, fifty
 * requests under injected faults, ten thousand generated hostile calls): tagged
 * {@value #TAG}, left out of {@code ./mvnw -B verify} and run by
 * {@code ./mvnw -B -Plong-tests test}, which {@code .ci/run} runs after the suite.
 */
public final class LongTests {

	public static final String TAG = "long";

	private LongTests() {
	}

}
