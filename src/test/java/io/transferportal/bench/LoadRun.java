package io.transferportal.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Concurrent clients sending GET requests in a closed loop for a bounded time (after a
 * warm-up that is not counted), each with its own HTTP client (and session); latencies in
 * milliseconds.
 */
final class LoadRun {

	/** Measured requests per client, even past the measured time. */
	static final int MIN_REQUESTS = 5;

	private LoadRun() {
	}

	/**
	 * Runs the load.
	 * @param clients one HTTP client per concurrent client
	 * @param requests the n-th request a client sends
	 */
	static Result run(List<HttpClient> clients, IntFunction<HttpRequest> requests, double warmUpSeconds, double seconds)
			throws InterruptedException {
		ExecutorService executor = Executors.newFixedThreadPool(clients.size());
		try {
			long start = System.nanoTime();
			long measureFrom = start + (long) (warmUpSeconds * 1e9);
			long end = measureFrom + (long) (seconds * 1e9);
			List<Future<long[]>> futures = new ArrayList<>();
			for (int c = 0; c < clients.size(); c++) {
				HttpClient client = clients.get(c);
				int offset = c * 1_000_003;
				futures.add(executor.submit(() -> loop(client, requests, offset, measureFrom, end)));
			}
			List<Long> latencies = new ArrayList<>();
			long errors = 0;
			for (Future<long[]> future : futures) {
				long[] result = future.get();
				errors += result[0];
				for (int i = 1; i < result.length; i++) {
					latencies.add(result[i]);
				}
			}
			// requests still running at the end are waited for: measured from the
			// warm-up's end to the last answer
			double measured = Math.max(seconds, (System.nanoTime() - measureFrom) / 1e9);
			return Result.of(latencies, errors, measured);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().getMessage(), ex.getCause());
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	/** Element 0: errors; then the latencies in nanoseconds of the measured requests. */
	private static long[] loop(HttpClient client, IntFunction<HttpRequest> requests, int offset, long measureFrom,
			long end) throws InterruptedException {
		long[] latencies = new long[1024];
		int count = 1;
		long errors = 0;
		// at least MIN_REQUESTS measured per client when every request is slow, within
		// a ceiling
		long ceiling = end + TimeUnit.MINUTES.toNanos(2);
		for (int n = offset; System.nanoTime() < end
				|| (count - 1 + errors < MIN_REQUESTS && System.nanoTime() < ceiling); n++) {
			long sent = System.nanoTime();
			HttpRequest request = requests.apply(n);
			String failure;
			try {
				HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
				failure = (response.statusCode() != 200) ? "HTTP " + response.statusCode() : null;
			}
			catch (IOException ex) {
				// a timeout or a refused connection counts as an error, not as a latency
				failure = ex.toString();
			}
			long received = System.nanoTime();
			if (sent < measureFrom) {
				continue;
			}
			if (failure != null) {
				if (errors++ == 0) {
					System.err.println(failure + " for " + request.uri()
							+ " (the first error of this client; see the portal's log)");
				}
				continue;
			}
			if (count == latencies.length) {
				latencies = Arrays.copyOf(latencies, count * 2);
			}
			latencies[count++] = received - sent;
		}
		latencies[0] = errors;
		return Arrays.copyOf(latencies, count);
	}

	/**
	 * What a load run measured.
	 *
	 * @param requests successful requests in the measured time
	 * @param errors responses other than 200
	 * @param requestsPerSecond successful requests per second
	 * @param p50 median latency, ms
	 * @param p95 95th percentile, ms
	 * @param p99 99th percentile, ms
	 * @param max the slowest, ms
	 */
	record Result(long requests, long errors, double requestsPerSecond, double p50, double p95, double p99,
			double max) {

		static Result of(List<Long> nanos, long errors, double seconds) {
			long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
			return new Result(sorted.length, errors, sorted.length / seconds, percentile(sorted, 50),
					percentile(sorted, 95), percentile(sorted, 99),
					(sorted.length == 0) ? Double.NaN : sorted[sorted.length - 1] / 1e6);
		}

		/** Nearest-rank percentile, in ms. */
		static double percentile(long[] sorted, double percent) {
			if (sorted.length == 0) {
				return Double.NaN;
			}
			int rank = (int) Math.ceil(percent / 100 * sorted.length);
			return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
		}

		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("requests", this.requests);
			map.put("errors", this.errors);
			map.put("requestsPerSecond", this.requestsPerSecond);
			map.put("p50Ms", this.p50);
			map.put("p95Ms", this.p95);
			map.put("p99Ms", this.p99);
			map.put("maxMs", this.max);
			return map;
		}

	}

}
