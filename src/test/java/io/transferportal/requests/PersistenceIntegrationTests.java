package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditRecord;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.AppliedChange;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ProvisioningLocks;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.RequestEvents.AwsChangeApplied;
import io.transferportal.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the migrations and repositories must do on every supported database; the
 * subclasses choose the database.
 */
abstract class PersistenceIntegrationTests {

	@Autowired
	ApplicationContext context;

	TransactionTemplate tx;

	@BeforeEach
	void transactions() {
		this.tx = new TransactionTemplate(this.context.getBean(PlatformTransactionManager.class));
	}

	@Test
	void requestsRoundTripWithTheirPlanAndDecisions() {
		AccessRequestRepository requests = this.context.getBean(AccessRequestRepository.class);
		long id = this.tx.execute((s) -> {
			AccessRequest request = new AccessRequest(RequestKind.PROVISION, AccessRequestTests.plan("ivy", "f-1"),
					"alice", "CHG-9", Instant.now());
			requests.save(request);
			request.approve("bob", "ok", 1, Instant.now());
			return request.getId();
		});

		this.tx.executeWithoutResult((s) -> {
			AccessRequest loaded = requests.findById(id).orElseThrow();
			assertThat(loaded.getStatus()).isEqualTo(RequestStatus.APPROVED);
			assertThat(loaded.getPlan()).isEqualTo(AccessRequestTests.plan("ivy", "f-1"));
			assertThat(loaded.getSpec().userName()).isEqualTo("ivy");
			assertThat(loaded.getDecisions()).singleElement().satisfies((d) -> {
				assertThat(d.getDecidedBy()).isEqualTo("bob");
				assertThat(d.getPlanFingerprint()).isEqualTo("f-1");
			});
		});
	}

	@Test
	void theRequestsListFiltersByPrefixesInAnyCaseAndSortsByAnyColumn() {
		AccessRequestRepository requests = this.context.getBean(AccessRequestRepository.class);
		String run = UUID.randomUUID().toString().substring(0, 8);
		Instant now = Instant.now();
		List<Long> ids = this.tx.execute((s) -> List.of("zed", "amy", "bo_b").stream().map((name) -> {
			AccessRequest request = new AccessRequest(RequestKind.PROVISION,
					AccessRequestTests.plan(name + run, "f-" + name), "Req-" + run + "-" + name, "T%_" + run + name,
					now);
			return requests.save(request).getId();
		}).toList());
		AccessRequestManagement management = this.context.getBean(AccessRequestManagement.class);

		assertThat(management.search(new RequestSearch(null, "req-" + run, null, null), PageRequest.of(0, 10))
			.map(RequestView::id)).as("requester prefix, any case, newest first by default")
			.containsExactly(ids.get(2), ids.get(1), ids.get(0));
		assertThat(management
			.search(new RequestSearch(null, "req-" + run, null, null), PageRequest.of(0, 10, Sort.by("userName")))
			.map(RequestView::userName)).containsExactly("amy" + run, "bo_b" + run, "zed" + run);
		assertThat(management
			.search(new RequestSearch(null, null, RequestStatus.PENDING_APPROVAL, "t%_" + run + "A"),
					PageRequest.of(0, 10))
			.map(RequestView::id)).as("the ticket prefix as typed: % and _ are not wildcards")
			.containsExactly(ids.get(1));
		assertThat(management.search(new RequestSearch(null, null, null, "T__" + run), PageRequest.of(0, 10)))
			.isEmpty();
		assertThat(management.search(new RequestSearch("bo_", "req-" + run, null, null), PageRequest.of(0, 10))
			.map(RequestView::id)).containsExactly(ids.get(2));
		assertThat(management.search(new RequestSearch("bo%", "req-" + run, null, null), PageRequest.of(0, 10)))
			.isEmpty();
		assertThat(management.search(new RequestSearch(null, "req-" + run, RequestStatus.ACTIVE, null),
				PageRequest.of(0, 10)))
			.isEmpty();
	}

	@Test
	void batchesKeepTheirItemsInOrderCountThemByStatusAndHaveOneTicketEach() {
		AccessRequestRepository requests = this.context.getBean(AccessRequestRepository.class);
		RequestBatchRepository batches = this.context.getBean(RequestBatchRepository.class);
		String ticket = "BATCH-" + UUID.randomUUID();
		long batchId = this.tx.execute((s) -> {
			RequestBatch batch = batches.saveAndFlush(new RequestBatch(ticket, "alice", null, 2, Instant.now()));
			// stored in reverse: the items come back in their batch order all the same
			for (int index = 1; index >= 0; index--) {
				AccessRequest item = new AccessRequest(RequestKind.PROVISION,
						AccessRequestTests.plan("batch-" + index, "f-" + index), "alice", ticket, Instant.now());
				item.inBatch(batch.getId(), index);
				requests.save(item);
				if (index == 1) {
					item.approve("bob", null, 1, Instant.now());
				}
			}
			return batch.getId();
		});

		this.tx.executeWithoutResult((s) -> {
			assertThat(batches.findItems(batchId)).extracting(AccessRequest::getBatchIndex).containsExactly(0, 1);
			assertThat(batches.findItems(batchId)).extracting((item) -> item.getSpec().userName())
				.containsExactly("batch-0", "batch-1");
			assertThat(batches.findItemsForUpdate(batchId)).hasSize(2);
			assertThat(batches.countItemsByStatus(List.of(batchId)))
				.extracting((row) -> row[1] + "=" + ((Number) row[2]).longValue())
				.containsExactlyInAnyOrder("PENDING_APPROVAL=1", "APPROVED=1");
			assertThat(batches.findByTicketRef(ticket)).map(RequestBatch::getItemCount).contains(2);
		});
		assertThatThrownBy(() -> this.tx.executeWithoutResult(
				(s) -> batches.saveAndFlush(new RequestBatch(ticket, "carol", null, 1, Instant.now()))))
			.isInstanceOf(DataIntegrityViolationException.class);
	}

	@Test
	void ofTwoExecutionsStartingOneRequestAtOnceOneWinsAndOnlyALaterPickOfItTakesOver() throws Exception {
		AccessRequestRepository requests = this.context.getBean(AccessRequestRepository.class);
		long id = this.tx.execute((s) -> {
			AccessRequest request = requests.save(new AccessRequest(RequestKind.PROVISION,
					AccessRequestTests.plan("jo", "f-2"), "alice", null, Instant.now()));
			request.approve("bob", null, 1, Instant.now());
			return request.getId();
		});
		// both read the approved request before either commits (as two executions of one
		// request could)
		CyclicBarrier bothRead = new CyclicBarrier(2);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		List<Future<String>> starts = new ArrayList<>();
		try {
			for (String execution : List.of(id + "/a", id + "/b")) {
				starts.add(pool.submit(() -> {
					try {
						this.tx.executeWithoutResult((s) -> {
							AccessRequest request = requests.findById(id).orElseThrow();
							assertThat(request.isRunnableBy(execution)).isTrue();
							await(bothRead);
							request.startProvisioning(execution, 1, Instant.now());
						});
						return execution;
					}
					catch (OptimisticLockingFailureException ex) {
						return null;
					}
				}));
			}
			List<String> winners = new ArrayList<>();
			for (Future<String> start : starts) {
				if (start.get() != null) {
					winners.add(start.get());
				}
			}
			assertThat(winners).hasSize(1);
			String winner = winners.get(0);
			String loser = winner.endsWith("/a") ? id + "/b" : id + "/a";

			this.tx.executeWithoutResult((s) -> {
				AccessRequest request = requests.findById(id).orElseThrow();
				assertThat(request.getStatus()).isEqualTo(RequestStatus.PROVISIONING);
				assertThat(request.isRunBy(winner, 1)).isTrue();
				assertThat(request.isRunnableBy(loser)).as("another execution while it runs").isFalse();
				assertThat(request.isRunnableBy(winner)).as("a revived pick of the same execution").isTrue();
				request.startProvisioning(winner, 2, Instant.now());
			});
			this.tx.executeWithoutResult((s) -> {
				AccessRequest request = requests.findById(id).orElseThrow();
				assertThat(request.isRunBy(winner, 1)).as("the old pick must stop").isFalse();
				assertThat(request.isRunBy(winner, 2)).isTrue();
			});
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void managedUsersKeepTheirLastCheckPerResource() {
		ManagedUserRepository users = this.context.getBean(ManagedUserRepository.class);
		this.tx.executeWithoutResult((s) -> {
			ManagedUser user = users
				.save(new ManagedUser(AccessRequestTests.plan("kim", "f-3").spec(), 1L, "alice", Instant.now()));
			user.recordVerification(
					List.of(new Check(ResourceKind.KEY_POLICY, CheckStatus.OK, "fine"),
							new Check(ResourceKind.ROLE_POLICY, CheckStatus.DRIFT, "missing kms:Decrypt")),
					Instant.now());
		});
		Map<ResourceKind, CheckStatus> changed = new EnumMap<>(ResourceKind.class);
		this.tx.executeWithoutResult((s) -> {
			ManagedUser user = users.findByServerIdAndUserName("s-0123456789abcdef0", "kim").orElseThrow();
			assertThat(user.getChecks()).hasSize(2);
			changed.putAll(user.recordVerification(
					List.of(new Check(ResourceKind.ROLE_POLICY, CheckStatus.OK, "repaired")), Instant.now()));
		});
		assertThat(changed).containsEntry(ResourceKind.ROLE_POLICY, CheckStatus.DRIFT);
		this.tx.executeWithoutResult((s) -> assertThat(users.findByServerIdAndUserName("s-0123456789abcdef0", "kim")
			.orElseThrow()
			.getChecks()
			.get(ResourceKind.ROLE_POLICY)
			.getStatus()).isEqualTo(CheckStatus.OK));
	}

	/**
	 * Another instance on the same database (a second {@link ManagedUserSearches}, its
	 * own memory, its clock standing still but for one read interval) sees a managed user
	 * stored, and then one changed in a transaction that only modified it (the change
	 * found when it commits), once this instance advanced the generation after each
	 * commit: not after its time to live.
	 */
	@Test
	void anotherInstanceSeesAManagedUserChangeWithoutWaitingForItsCountsToExpire() {
		ManagedUserRepository users = this.context.getBean(ManagedUserRepository.class);
		TestClock clock = TestClock.frozenAt(Instant.now());
		ManagedUserSearches elsewhere = new ManagedUserSearches(users, clock, Runnable::run);
		String name = "gen-" + UUID.randomUUID().toString().substring(0, 8);
		String pattern = "%" + name + "%";
		assertThat(elsewhere.matching(pattern, null, null, ManagedUserSearchesTests.CUTOFFS)).isZero();
		assertThat(elsewhere.matching(pattern, Health.DRIFT, null, ManagedUserSearchesTests.CUTOFFS)).isZero();

		long before = users.generation();
		this.tx.executeWithoutResult((s) -> users
			.save(new ManagedUser(AccessRequestTests.plan(name, "f-gen").spec(), 1L, "alice", Instant.now())));
		advanced(users, before, clock);
		assertThat(elsewhere.matching(pattern, null, null, ManagedUserSearchesTests.CUTOFFS)).isOne();

		long stored = users.generation();
		this.tx.executeWithoutResult((s) -> users.findByServerIdAndUserName("s-0123456789abcdef0", name)
			.orElseThrow()
			.recordVerification(List.of(new Check(ResourceKind.ROLE_POLICY, CheckStatus.DRIFT, "missing kms:Decrypt")),
					Instant.now()));
		advanced(users, stored, clock);
		assertThat(elsewhere.matching(pattern, Health.DRIFT, null, ManagedUserSearchesTests.CUTOFFS)).isOne();
	}

	/**
	 * Waits for this instance to advance the generation, then lets one read interval
	 * pass.
	 */
	private static void advanced(ManagedUserRepository users, long before, TestClock clock) {
		Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> users.generation() > before);
		clock.advance(ManagedUserSearches.SHARED_READ_INTERVAL);
	}

	/**
	 * The overdue queries compare the later of grant and last review on every database
	 * (the view's rule, {@link ManagedUserView.Lifecycle#reviewDueAt}), oldest first.
	 */
	@Test
	void reviewQueriesTakeTheLaterOfGrantAndReview() {
		ManagedUserRepository users = this.context.getBean(ManagedUserRepository.class);
		Instant now = Instant.parse("2026-06-01T12:00:00Z");
		String server = "s-review0000000001";
		this.tx.executeWithoutResult((s) -> {
			reviewed(users, server, "old-grant", now.minus(Duration.ofDays(200)), null);
			reviewed(users, server, "old-review", now.minus(Duration.ofDays(300)), now.minus(Duration.ofDays(100)));
			reviewed(users, server, "new-review", now.minus(Duration.ofDays(300)), now.minus(Duration.ofDays(5)));
			reviewed(users, server, "new-grant", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(150)));
			reviewed(users, server, "suspended", now.minus(Duration.ofDays(120)), null)
				.suspended(ManagedUser.Suspension.UNREVIEWED, 1, now.minus(Duration.ofDays(20)));
			reviewed(users, server, "deleted", now.minus(Duration.ofDays(400)), null).deleted(1, now);
		});
		Instant overdueBefore = ReviewPolicy.overdueIfLastBefore(now, Duration.ofDays(90));
		this.tx.executeWithoutResult((s) -> {
			assertThat(users.findUnsuspendedReviewedBefore(ManagedUser.Status.ACTIVE, overdueBefore))
				.filteredOn((u) -> u.getServerId().equals(server))
				.extracting(ManagedUser::getUserName)
				.containsExactly("old-grant", "old-review");
			assertThat(users.findReviewedBefore(ManagedUser.Status.ACTIVE, overdueBefore, PageRequest.of(0, 100)))
				.filteredOn((u) -> u.getServerId().equals(server))
				.extracting(ManagedUser::getUserName)
				.containsExactly("old-grant", "suspended", "old-review");
		});
	}

	private static ManagedUser reviewed(ManagedUserRepository users, String server, String name, Instant grantedAt,
			Instant reviewedAt) {
		UserSpec spec = new UserSpec(server, name, "payments-inbox", null,
				"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				List.of("ssh-ed25519 AAAA"), AccessLevel.READ_WRITE, null, Map.of());
		ManagedUser user = new ManagedUser(spec, 1L, "alice", grantedAt);
		if (reviewedAt != null) {
			user.reviewed("bob", reviewedAt);
		}
		return users.save(user);
	}

	@Test
	void lifecycleSearchesAndCountsRunInTheDatabase() {
		ManagedUserRepository users = this.context.getBean(ManagedUserRepository.class);
		Instant now = Instant.parse("2026-06-01T00:00:00Z");
		LifecycleCutoffs cutoffs = new LifecycleCutoffs(now.plus(Duration.ofDays(14)), now.minus(Duration.ofDays(180)),
				now.minus(Duration.ofDays(90)));
		List<Long> before = counts(users, cutoffs);
		this.tx.executeWithoutResult((s) -> {
			ManagedUser old = users.save(new ManagedUser(AccessRequestTests.plan("lc-old", "f-5").spec(), 1L, "alice",
					now.minus(Duration.ofDays(100))));
			old.sshKeysSeen(2, now.minus(Duration.ofDays(200)));
			old.expiresAt(now.plus(Duration.ofDays(3)));
			ManagedUser fresh = users
				.save(new ManagedUser(AccessRequestTests.plan("lc-new", "f-6").spec(), 2L, "alice", now));
			fresh.sshKeysSeen(1, now);
			fresh.suspended(ManagedUser.Suspension.UNREVIEWED, 2L, now);
		});
		PageRequest page = PageRequest.of(0, 10, Sort.by("serverId", "userName"));
		this.tx.executeWithoutResult((s) -> {
			assertThat(users.searchExpiring("%lc-%", null, cutoffs.expiringBy(), page))
				.extracting(ManagedUser::getUserName)
				.containsExactly("lc-old");
			assertThat(users.searchSuspended("%lc-%", null, page)).extracting(ManagedUser::getUserName)
				.containsExactly("lc-new");
			assertThat(users.searchRotationDue("%lc-%", Health.UNVERIFIED, cutoffs.keysImportedBefore(), page))
				.extracting(ManagedUser::getUserName)
				.containsExactly("lc-old");
			assertThat(users.searchReviewOverdue("%lc-%", null, cutoffs.reviewedBefore(), page))
				.extracting(ManagedUser::getUserName)
				.containsExactly("lc-old");
			assertThat(users.searchRotationDue(null, null, Instant.EPOCH, page)).as("rotation off").isEmpty();
			// each search's count finds what the search lists
			assertThat(users.countSearch("%lc-%", null)).isEqualTo(2);
			assertThat(users.countSearch("%lc-%", Health.OK)).isZero();
			assertThat(users.countExpiring("%lc-%", null, cutoffs.expiringBy())).isEqualTo(1);
			assertThat(users.countSuspended("%lc-%", null)).isEqualTo(1);
			assertThat(users.countRotationDue("%lc-%", Health.UNVERIFIED, cutoffs.keysImportedBefore())).isEqualTo(1);
			assertThat(users.countReviewOverdue("%lc-%", null, cutoffs.reviewedBefore())).isEqualTo(1);
			assertThat(users.search("%lc-%", null, PageRequest.of(1, 1, Sort.by("serverId", "userName"))))
				.as("a page without counting")
				.extracting(ManagedUser::getUserName)
				.containsExactly("lc-old");
		});
		// one more of each (other tests' users may share the database)
		List<Long> after = counts(users, cutoffs);
		for (int state = 0; state < 4; state++) {
			assertThat(after.get(state) - before.get(state)).as("state " + state).isEqualTo(1L);
		}
	}

	private List<Long> counts(ManagedUserRepository users, LifecycleCutoffs cutoffs) {
		return this.tx
			.execute(
					(s) -> List
						.of(users.countByLifecycle(cutoffs.expiringBy(), cutoffs.keysImportedBefore(),
								cutoffs.reviewedBefore())
							.get(0))
						.stream()
						.map((count) -> ((Number) count).longValue())
						.toList());
	}

	@Test
	void auditEntriesAreStoredAndFiltered() {
		ApplicationEventPublisher events = this.context;
		AuditTrail trail = this.context.getBean(AuditTrail.class);
		this.tx.executeWithoutResult(
				(s) -> events.publishEvent(new AwsChangeApplied(4242L, "s-0123456789abcdef0", "lea", "CHG-42",
						new AppliedChange(ResourceKind.ROLE_POLICY, "arn:aws:iam::123456789012:role/x#p",
								AppliedChange.Outcome.UPDATED, "{\"before\":1}", "{\"after\":2}", "Repaired"),
						Instant.parse("2026-11-26T10:00:00Z"))));

		List<AuditRecord> byTicket = trail.search(new AuditFilter(null, "CHG-42", null, null, null, null), 10);
		assertThat(byTicket).singleElement().satisfies((r) -> {
			assertThat(r.requestId()).isEqualTo(4242L);
			assertThat(r.before()).isEqualTo("{\"before\":1}");
			assertThat(r.after()).isEqualTo("{\"after\":2}");
		});
		assertThat(trail
			.search(new AuditFilter(null, "CHG-42", null, null, Instant.parse("2026-11-26T11:00:00Z"), null), 10))
			.isEmpty();
	}

	@Test
	void rowLocksSerializeConcurrentCriticalSections() throws Exception {
		ProvisioningLocks locks = this.context.getBean(ProvisioningLocks.class);
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(pool.submit(() -> locks.withLock("kms-key-policy:test", () -> {
					maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
					sleep();
					return inside.decrementAndGet();
				})));
			}
			for (Future<Integer> result : results) {
				result.get();
			}
		}
		finally {
			pool.shutdown();
		}
		assertThat(maxInside.get()).isEqualTo(1);
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
