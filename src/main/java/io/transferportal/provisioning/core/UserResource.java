package io.transferportal.provisioning.core;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.Verification.SshKeysSeen;

/**
 * One AWS resource of a Transfer user: how to read it, what it should be, and how to
 * write one approved change. Everything that is the same for every resource (planning,
 * applying under a lock with a re-read and a re-decision, refusing anything the approval
 * did not cover, verifying, reporting and auditing the outcome) is done once by the
 * engine.
 * <p>
 * {@link #decide} and {@link #decideRemoval} are pure functions of the request and the
 * live state: no AWS client, no clock. Resources apply in {@link #getOrder()} and are
 * removed in reverse order.
 *
 * @param <S> the live state as read from AWS
 * @param <W> what to write: the work a decision hands to {@link #write}
 */
public interface UserResource<S, W> extends Ordered {

	/**
	 * The plan entries this resource produces: one, except where AWS keeps two things the
	 * approver sees apart in one object (a Transfer user and its session policy are one
	 * CreateUser or UpdateUser call).
	 */
	Set<ResourceKind> kinds();

	/**
	 * Checks, by reading AWS, that the inputs this resource depends on exist and are
	 * usable (the server, bucket, key or role the request names). Problems are reported
	 * against the request's fields, before anything is planned.
	 */
	default List<FieldViolation> checkInputs(Target target) {
		return List.of();
	}

	/**
	 * Reads in bulk, into the {@link ReadCache}, what verifying these users would read
	 * one by one (a verification sweep); by default nothing. A failure here only means
	 * the reads are made one by one.
	 */
	default void readAhead(List<Target> targets) {
	}

	/** Reads the live state; {@code null} when the resource does not exist. */
	@Nullable S read(Target target);

	/**
	 * Reads what a removal needs to decide; by default the same as {@link #read}.
	 */
	default @Nullable S readForRemoval(Target target) {
		return read(target);
	}

	/** What it takes to bring the live state to what the request requires. */
	Decision<W> decide(Target target, @Nullable S live);

	/**
	 * What it takes to bring a resource that exists outside the portal under its rules
	 * (adopting a user); by default the same as {@link #decide}. Pure like it.
	 */
	default Decision<W> decideAdoption(Target target, @Nullable S live) {
		return decide(target, live);
	}

	/**
	 * What it takes to remove what the portal added for this user, keeping what others
	 * still need.
	 */
	Decision<W> decideRemoval(Target target, @Nullable S live, Sharing sharing);

	/**
	 * The SSH keys the live state holds, for a verification to record; {@code null} for
	 * resources that hold none (only the Transfer user does).
	 */
	default @Nullable SshKeysSeen sshKeysSeen(@Nullable S live) {
		return null;
	}

	/**
	 * Whether an approved creation may be written without reading first, as decided for a
	 * resource that does not exist: the create call itself fails when the resource exists
	 * (then the engine reads and decides again), or the resource cannot exist yet because
	 * what holds it was created earlier in the same run. By default not.
	 * @param createdInThisRun the resources the run created before this one
	 */
	default boolean createsWithoutReading(Set<ResourceKind> createdInThisRun) {
		return false;
	}

	/** Carries out one decided change: the AWS write calls and nothing else. */
	void write(Target target, W work);

	/**
	 * Carries out one decided change and answers the resource's document as AWS stored
	 * it, for resources that read it back after writing (a KMS key policy may be changed
	 * by someone else at the same moment); {@code null} records the decided document.
	 * Only for resources with one plan entry.
	 */
	default @Nullable String writeAndReadBack(Target target, W work) {
		write(target, work);
		return null;
	}

	/**
	 * The lock that serializes the read-decide-write sequence where AWS has no
	 * concurrency control (a KMS key policy has no version or ETag); {@code null} for
	 * none.
	 */
	default @Nullable String lockName(Target target) {
		return null;
	}

}
