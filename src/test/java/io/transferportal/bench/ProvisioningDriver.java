package io.transferportal.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Submits users through the REST API and approves them, as a ticketing system and an
 * approver would, then waits until every one is ACTIVE. Uses the batch API
 * ({@code /api/v1/request-batches}) where the portal answers it, else one request per
 * user from {@value #THREADS} threads, so that the client does not bound the figure.
 */
final class ProvisioningDriver {

	static final int THREADS = 8;

	/** The most items one batch takes. */
	static final int BATCH_SIZE = 500;

	private final PortalClient requester;

	private final PortalClient approver;

	private Boolean batches;

	ProvisioningDriver(PortalClient requester, PortalClient approver) {
		this.requester = requester;
		this.approver = approver;
	}

	/** Whether the last run went through the batch API. */
	boolean usedBatches() {
		return Boolean.TRUE.equals(this.batches);
	}

	/**
	 * Provisions the users and answers the seconds from the first submission until all
	 * were ACTIVE, and until all were submitted and approved.
	 */
	Timing provision(String serverId, BenchAws.Target target, List<String> userNames, String sshKey, String ticket)
			throws InterruptedException {
		long activeBefore = count("ACTIVE");
		long failedBefore = count("FAILED");
		long reapprovalBefore = count("NEEDS_REAPPROVAL");
		long start = System.nanoTime();
		List<Map<String, Object>> items = userNames.stream()
			.map((user) -> item(serverId, target, user, sshKey))
			.toList();
		if (!Boolean.FALSE.equals(this.batches)) {
			submitBatches(items, ticket);
		}
		if (Boolean.FALSE.equals(this.batches)) {
			submitOneByOne(items, ticket);
		}
		double submitted = (System.nanoTime() - start) / 1e9;
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
		while (count("ACTIVE") < activeBefore + userNames.size()) {
			long failed = count("FAILED") - failedBefore;
			long reapproval = count("NEEDS_REAPPROVAL") - reapprovalBefore;
			if (failed > 0 || reapproval > 0) {
				throw new IllegalStateException(failed + " requests FAILED and " + reapproval
						+ " NEED_REAPPROVAL; see the portal's log and GET /api/v1/requests?status=FAILED");
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not all users were ACTIVE within 30 minutes");
			}
			Thread.sleep(100);
		}
		return new Timing((System.nanoTime() - start) / 1e9, submitted);
	}

	private static Map<String, Object> item(String serverId, BenchAws.Target target, String user, String sshKey) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("serverId", serverId);
		item.put("userName", user);
		item.put("bucket", target.bucket());
		item.put("kmsKeyArn", target.keyArn());
		item.put("sshPublicKeys", List.of(sshKey));
		item.put("accessLevel", "READ_WRITE");
		return item;
	}

	private void submitBatches(List<Map<String, Object>> items, String ticket) {
		for (int from = 0; from < items.size(); from += BATCH_SIZE) {
			List<Map<String, Object>> chunk = items.subList(from, Math.min(items.size(), from + BATCH_SIZE));
			long posting = System.nanoTime();
			PortalClient.Response created = this.requester.post("/api/v1/request-batches",
					Map.of("ticketRef", ticket + "-b" + (from / BATCH_SIZE), "requests", chunk));
			if (this.batches == null && (created.status() == 404 || created.status() == 405)) {
				// this portal has no batch API: one request per user instead
				this.batches = false;
				return;
			}
			this.batches = true;
			long id = created.expect(200, 201).json().get("id").asLong();
			System.out.printf("  batch %d: %d users submitted (planned) in %.2f s%n", id, chunk.size(),
					(System.nanoTime() - posting) / 1e9);
			this.approver.post("/api/v1/request-batches/" + id + "/approve", Map.of("comment", "benchmark"))
				.expect(200, 202);
		}
	}

	private void submitOneByOne(List<Map<String, Object>> items, String ticket) throws InterruptedException {
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> submissions = new ArrayList<>();
			for (int i = 0; i < items.size(); i++) {
				Map<String, Object> body = new LinkedHashMap<>(items.get(i));
				body.put("ticketRef", ticket + "-" + i);
				submissions.add(executor.submit(() -> {
					long id = this.requester.post("/api/v1/requests", body).expect(200, 201).json().get("id").asLong();
					this.approver.post("/api/v1/requests/" + id + "/approve", Map.of("comment", "benchmark"))
						.expect(200);
				}));
			}
			for (Future<?> submission : submissions) {
				submission.get();
			}
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().getMessage(), ex.getCause());
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** Requests in this status, of every kind. */
	long count(String status) {
		return this.requester.get("/api/v1/requests?size=1&status=" + status)
			.expect(200)
			.json()
			.get("totalItems")
			.asLong();
	}

	/**
	 * How long a run took.
	 *
	 * @param seconds from the first submission until every user was ACTIVE
	 * @param submittedSeconds until every user was submitted and approved
	 */
	record Timing(double seconds, double submittedSeconds) {

	}

}
