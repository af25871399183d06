package io.transferportal.provisioning;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.ProvisioningStep;
import io.transferportal.provisioning.core.ProvisioningStep.Sharing;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.StepPlan;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.Targets;
import io.transferportal.provisioning.validation.UserSpecValidator;

/**
 * Plans, applies, verifies and removes AWS Transfer users on SSE-KMS buckets: the
 * provisioning module's API.
 * <p>
 * {@link #plan} only reads; {@link #apply} writes exactly the approved plan's changes,
 * each step re-reading and writing only what still differs, so applying twice writes
 * nothing the second time.
 */
@Service
public class ProvisioningEngine {

	private final UserSpecValidator validator;

	private final Targets targets;

	private final List<ProvisioningStep> steps;

	private final List<ProvisioningStep> removalOrder;

	private final Clock clock;

	private final io.transferportal.provisioning.transfer.TransferServers servers;

	ProvisioningEngine(UserSpecValidator validator, Targets targets, List<ProvisioningStep> steps,
			io.transferportal.provisioning.transfer.TransferServers servers) {
		this.validator = validator;
		this.targets = targets;
		this.servers = servers;
		this.steps = steps.stream().sorted(Comparator.comparingInt(ProvisioningStep::getOrder)).toList();
		this.removalOrder = new ArrayList<>(this.steps);
		java.util.Collections.reverse(this.removalOrder);
		this.clock = Clock.systemUTC();
	}

	/**
	 * The Transfer servers with service-managed identities that users can be requested on
	 * (one AWS list call).
	 */
	public List<String> transferServers() {
		return this.servers.serviceManagedServerIds();
	}

	/**
	 * How a person recognises each SSH key: type, SHA-256 fingerprint (as
	 * {@code ssh-keygen -l} prints it) and comment; keys that do not parse are left out
	 * (validation names them).
	 */
	public List<String> describeSshKeys(List<String> keys) {
		List<String> described = new ArrayList<>();
		for (String key : keys) {
			try {
				var parsed = io.transferportal.provisioning.validation.SshPublicKeys.parse(key, 0);
				described.add(parsed.type() + " " + parsed.fingerprint()
						+ ((parsed.comment() != null) ? " " + parsed.comment() : ""));
			}
			catch (IllegalArgumentException ex) {
				// reported by validate()
			}
		}
		return described;
	}

	/** Checks the request without calling AWS; an empty list means valid. */
	public List<FieldViolation> validate(UserSpec spec) {
		return this.validator.validate(spec);
	}

	/**
	 * Reads the live state and computes every change needed for the request.
	 * @throws InvalidUserSpecException if the request is invalid (before any AWS call) or
	 * names a server, bucket, key or role that does not exist or cannot be used
	 */
	public Plan plan(UserSpec spec) {
		Target target = resolve(spec);
		List<FieldViolation> violations = this.steps.stream()
			.flatMap((step) -> step.checkInputs(target).stream())
			.toList();
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
		List<PlannedChange> changes = new ArrayList<>();
		List<PlanProblem> problems = new ArrayList<>();
		for (ProvisioningStep step : this.steps) {
			StepPlan stepPlan = step.plan(target);
			changes.addAll(stepPlan.changes());
			problems.addAll(stepPlan.problems());
		}
		return plan(Plan.Kind.PROVISION, spec, changes, problems);
	}

	/**
	 * Computes the removal of a user: delete the Transfer user and the dedicated role,
	 * take the role out of the key policy, but keep whatever another managed user still
	 * needs. Bucket encryption is never turned off.
	 * @param otherManagedUsers the other users the portal manages (the user itself may be
	 * included; it is ignored)
	 */
	public Plan planRemoval(UserSpec spec, Collection<UserSpec> otherManagedUsers) {
		Target target = resolve(spec);
		boolean roleInUse = false;
		boolean roleUsesKey = false;
		for (UserSpec other : otherManagedUsers) {
			if (other.serverId().equals(spec.serverId()) && other.userName().equals(spec.userName())) {
				continue;
			}
			Target otherTarget = this.targets.resolve(other);
			if (otherTarget.roleArn().equals(target.roleArn())) {
				roleInUse = true;
				roleUsesKey |= otherTarget.keyArn().equals(target.keyArn());
			}
		}
		Sharing sharing = new Sharing(roleInUse, roleUsesKey);
		List<PlannedChange> changes = new ArrayList<>();
		List<PlanProblem> problems = new ArrayList<>();
		for (ProvisioningStep step : this.removalOrder) {
			StepPlan stepPlan = step.planRemoval(target, sharing);
			changes.addAll(stepPlan.changes());
			problems.addAll(stepPlan.problems());
		}
		return plan(Plan.Kind.REMOVE, spec, changes, problems);
	}

	public ApplyResult apply(Plan plan) {
		return apply(plan, ProvisioningListener.NONE);
	}

	/**
	 * Applies an approved plan step by step. Steps whose planned changes are all
	 * {@link ChangeAction#NONE} are not run. Each step that runs re-reads the live state
	 * and writes only what differs.
	 * @throws PlanNotApplicableException if the plan has problems (nothing is written)
	 * @throws ProvisioningException if a step fails; earlier steps stay applied and a
	 * retry continues safely
	 */
	public ApplyResult apply(Plan plan, ProvisioningListener listener) {
		if (!plan.isApplicable()) {
			throw new PlanNotApplicableException(plan);
		}
		Target target = resolve(plan.spec());
		boolean removing = plan.kind() == Plan.Kind.REMOVE;
		List<AppliedChange> applied = new ArrayList<>();
		for (ProvisioningStep step : removing ? this.removalOrder : this.steps) {
			List<PlannedChange> approved = plan.changes()
				.stream()
				.filter((change) -> step.resources().contains(change.resource()))
				.toList();
			if (approved.stream().allMatch((change) -> change.action() == ChangeAction.NONE)) {
				continue;
			}
			approved.forEach((change) -> listener.stepStarted(change.resource()));
			List<AppliedChange> results = removing ? step.remove(target, approved) : step.apply(target);
			results.forEach(listener::stepFinished);
			applied.addAll(results);
		}
		return new ApplyResult(plan, applied);
	}

	/**
	 * Compares the live state with what the request requires, one check per resource.
	 * Never writes.
	 * @throws InvalidUserSpecException if the request itself is invalid
	 */
	public Verification verify(UserSpec spec) {
		Target target = resolve(spec);
		Map<ResourceKind, PlannedChange> changes = new EnumMap<>(ResourceKind.class);
		Map<ResourceKind, List<String>> problems = new EnumMap<>(ResourceKind.class);
		Map<ResourceKind, String> errors = new EnumMap<>(ResourceKind.class);
		for (ProvisioningStep step : this.steps) {
			try {
				StepPlan stepPlan = step.plan(target);
				stepPlan.changes().forEach((change) -> changes.put(change.resource(), change));
				stepPlan.problems()
					.forEach((problem) -> problems.computeIfAbsent(problem.resource(), (key) -> new ArrayList<>())
						.add(problem.message()));
			}
			catch (ProvisioningException ex) {
				step.resources().forEach((resource) -> errors.put(resource, ex.getMessage()));
			}
		}
		List<Check> checks = new ArrayList<>();
		for (ResourceKind resource : Verification.CHECKED) {
			Check check = check(resource, changes, problems, errors);
			if (resource == ResourceKind.ROLE_POLICY) {
				Check role = check(ResourceKind.ROLE, changes, problems, errors);
				if (role.status() != CheckStatus.OK) {
					check = new Check(ResourceKind.ROLE_POLICY, role.status(), role.detail());
				}
			}
			checks.add(check);
		}
		return new Verification(spec, checks, this.clock.instant());
	}

	/**
	 * Verifies many users in one run, reading each shared bucket encryption and key
	 * policy once.
	 */
	public List<Verification> verifyAll(List<UserSpec> specs) {
		return ReadCache.during(() -> specs.stream().map(this::verifyOrReport).toList());
	}

	/**
	 * One user's failure (e.g. a stored request that a stricter rule now rejects) must
	 * not stop the others.
	 */
	private Verification verifyOrReport(UserSpec spec) {
		try {
			return verify(spec);
		}
		catch (InvalidUserSpecException | IllegalArgumentException ex) {
			String detail = (ex instanceof InvalidUserSpecException invalid)
					? "The stored request no longer validates: " + invalid.violations()
					: "The stored request is unreadable";
			return new Verification(spec,
					Verification.CHECKED.stream()
						.map((resource) -> new Check(resource, CheckStatus.ERROR, detail))
						.toList(),
					this.clock.instant());
		}
	}

	private static Check check(ResourceKind resource, Map<ResourceKind, PlannedChange> changes,
			Map<ResourceKind, List<String>> problems, Map<ResourceKind, String> errors) {
		if (errors.containsKey(resource)) {
			return new Check(resource, CheckStatus.ERROR, errors.get(resource));
		}
		PlannedChange change = changes.get(resource);
		List<String> found = problems.getOrDefault(resource, List.of());
		if (change == null) {
			return new Check(resource, CheckStatus.ERROR, "Not checked");
		}
		if (!found.isEmpty()) {
			return new Check(resource, (change.before() == null) ? CheckStatus.MISSING : CheckStatus.DRIFT,
					String.join("; ", found));
		}
		return switch (change.action()) {
			case NONE -> new Check(resource, CheckStatus.OK, change.summary());
			case CREATE ->
				new Check(resource, CheckStatus.MISSING, resource.label() + " is missing: " + change.summary());
			case UPDATE, DELETE -> new Check(resource, CheckStatus.DRIFT, change.summary());
		};
	}

	private Target resolve(UserSpec spec) {
		List<FieldViolation> violations = this.validator.validate(spec);
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
		return this.targets.resolve(spec);
	}

	private static Plan plan(Plan.Kind kind, UserSpec spec, List<PlannedChange> changes, List<PlanProblem> problems) {
		Map<String, Object> content = new LinkedHashMap<>();
		content.put("kind", kind);
		content.put("spec", spec);
		content.put("changes", changes.stream().map(PlannedChange::approvalBasis).toList());
		content.put("problems", problems);
		String fingerprint = Targets.sha256(Documents.compact(content));
		return new Plan(kind, spec, changes, problems, fingerprint);
	}

}
