package io.transferportal.provisioning.validation;

import java.util.Collection;
import java.util.List;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.UserSpec;

/**
 * Refuses a home folder that is, contains or lies inside another user's home folder on
 * the same bucket. Each user's policies grant {@code bucket/prefix/*}, so overlapping
 * folders would let one user read and write the other's files; logical directories stop
 * path traversal, but AWS recommends "unique roles or session policies to enforce least
 * privilege at the storage level"
 * (https://docs.aws.amazon.com/transfer/latest/userguide/logical-dir-mappings.html),
 * which overlapping folders defeat. Folders are compared by path segment, so {@code acme}
 * and {@code acme2} do not overlap, and case-sensitively, as S3 keys are.
 */
public final class HomeFolderOverlaps {

	private HomeFolderOverlaps() {
	}

	/**
	 * Field errors on {@code homePrefix}, one per other user whose home folder overlaps.
	 * @param others the other users to compare with (the user itself is ignored)
	 */
	public static List<FieldViolation> find(UserSpec spec, Collection<UserSpec> others) {
		String folder = spec.effectiveHomePrefix();
		return others.stream()
			.filter((other) -> other.bucket().equals(spec.bucket()))
			.filter((other) -> !other.serverId().equals(spec.serverId()) || !other.userName().equals(spec.userName()))
			.filter((other) -> overlap(folder, other.effectiveHomePrefix()) != null)
			.map((other) -> new FieldViolation("homePrefix",
					"home folder " + folder + " " + overlap(folder, other.effectiveHomePrefix()) + " "
							+ other.effectiveHomePrefix() + " of user " + other.userName() + " on " + other.serverId()
							+ " in bucket " + spec.bucket()
							+ "; users must not share folders (each could read and write the other's files)"))
			.toList();
	}

	/** How {@code folder} relates to {@code other}; {@code null} when they are apart. */
	private static String overlap(String folder, String other) {
		if (folder.equals(other)) {
			return "is the home folder";
		}
		if (folder.startsWith(other + "/")) {
			return "lies inside the home folder";
		}
		if (other.startsWith(folder + "/")) {
			return "contains the home folder";
		}
		return null;
	}

}
