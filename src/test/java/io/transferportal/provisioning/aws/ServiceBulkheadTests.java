package io.transferportal.provisioning.aws;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bulkhead lets so many calls in at once, holds the next until one ends, and gives a
 * place back once per admitted call, also when a call fails.
 */
class ServiceBulkheadTests {

	@Test
	void aCallBeyondTheLimitWaitsUntilOneEnds() throws Exception {
		ServiceBulkhead bulkhead = new ServiceBulkhead("iam", 2);
		ExecutionAttributes first = new ExecutionAttributes();
		ExecutionAttributes second = new ExecutionAttributes();
		bulkhead.beforeExecution(null, first);
		bulkhead.beforeExecution(null, second);
		AtomicInteger admitted = new AtomicInteger();
		CountDownLatch third = new CountDownLatch(1);
		Thread waiting = new Thread(() -> {
			bulkhead.beforeExecution(null, new ExecutionAttributes());
			admitted.incrementAndGet();
			third.countDown();
		});
		waiting.start();

		await().atMost(Duration.ofSeconds(30)).until(() -> waiting.getState() == Thread.State.WAITING);
		assertThat(admitted).hasValue(0);

		bulkhead.onExecutionFailure(null, first);
		assertThat(third.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(admitted).hasValue(1);
		waiting.join();
	}

	@Test
	void aCallGivesItsPlaceBackOnce() throws Exception {
		ServiceBulkhead bulkhead = new ServiceBulkhead("kms", 1);
		ExecutionAttributes call = new ExecutionAttributes();
		bulkhead.beforeExecution(null, call);
		bulkhead.afterExecution(null, call);
		// a failure reported after the end, or for a call never admitted, frees nothing
		bulkhead.onExecutionFailure(null, call);
		bulkhead.onExecutionFailure(null, new ExecutionAttributes());

		ExecutionAttributes next = new ExecutionAttributes();
		bulkhead.beforeExecution(null, next);
		CountDownLatch admitted = new CountDownLatch(1);
		Thread waiting = new Thread(() -> {
			bulkhead.beforeExecution(null, new ExecutionAttributes());
			admitted.countDown();
		});
		waiting.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> waiting.getState() == Thread.State.WAITING);
		assertThat(admitted.getCount()).as("one place, taken").isEqualTo(1);
		bulkhead.afterExecution(null, next);
		assertThat(admitted.await(30, TimeUnit.SECONDS)).isTrue();
		waiting.join();
	}

}
