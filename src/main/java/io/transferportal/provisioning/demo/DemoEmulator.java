package io.transferportal.provisioning.demo;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.ListedServer;
import software.amazon.awssdk.services.transfer.model.Protocol;

import io.transferportal.provisioning.aws.AwsProperties;

/**
 * The demo profile's stand-in for AWS: starts moto's server ({@link EmulatorCommand}) on
 * the configured endpoint if nothing answers there, and creates a Transfer server, a
 * bucket and a KMS key to request users on. An emulator that already answered keeps what
 * it holds, and the demo goes on with its server, bucket and key; one this process
 * started is {@link #isNew() new}, holding nothing an earlier run created
 * ({@link DemoDatabase} then starts on an empty database), and is stopped with the
 * portal. Never active outside the demo profile ({@code portal.demo.emulator.enabled}).
 */
@Component
@ConditionalOnBooleanProperty("portal.demo.emulator.enabled")
class DemoEmulator {

	private static final Logger logger = LoggerFactory.getLogger(DemoEmulator.class);

	private static final String BUCKET = "demo-transfer-inbox";

	private static final String KEY_DESCRIPTION = "Transfer Portal demo key";

	/**
	 * How long moto may take to answer, on a loaded machine too (it answers in seconds).
	 */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	/** How long a stopped emulator may take to exit before it is killed. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final TransferClient transfer;

	private final S3Client s3;

	private final KmsClient kms;

	private final @Nullable Process process;

	DemoEmulator(AwsProperties aws, TransferClient transfer, S3Client s3, KmsClient kms) {
		this.transfer = transfer;
		this.s3 = s3;
		this.kms = kms;
		// the emulator accepts any signed request; real credentials are never needed (or
		// used) here
		System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "demo"));
		System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "demo"));
		this.process = (aws.endpoint() != null && !answers(aws.endpoint())) ? start(aws.endpoint()) : null;
	}

	/**
	 * Whether this process started the emulator, so that it holds nothing an earlier run
	 * of the demo created: decided when this bean is created, before any request is made.
	 */
	boolean isNew() {
		return this.process != null;
	}

	@EventListener(ApplicationReadyEvent.class)
	void seed() {
		try {
			// an emulator that was already running keeps the resources of the earlier
			// run, which the database's users are on
			String server = isNew() ? createServer() : existingServer().orElseGet(this::createServer);
			this.s3.createBucket((request) -> request.bucket(BUCKET));
			String key = isNew() ? createKey() : existingKey().orElseGet(this::createKey);
			logger.info("Demo AWS emulator ready: Transfer server {}, bucket {}, KMS key {}", server, BUCKET, key);
		}
		catch (SdkException ex) {
			logger.warn("Demo AWS emulator is not reachable ({}); requests will fail until it is",
					ex.getClass().getSimpleName());
		}
	}

	private Optional<String> existingServer() {
		return this.transfer.listServersPaginator((request) -> {
		})
			.servers()
			.stream()
			.filter((server) -> server.identityProviderType() == IdentityProviderType.SERVICE_MANAGED)
			.map(ListedServer::serverId)
			.findFirst();
	}

	private String createServer() {
		return this.transfer
			.createServer((request) -> request.identityProviderType(IdentityProviderType.SERVICE_MANAGED)
				.protocols(Protocol.SFTP))
			.serverId();
	}

	private Optional<String> existingKey() {
		return this.kms.listKeysPaginator((request) -> {
		})
			.keys()
			.stream()
			.map((entry) -> this.kms.describeKey((request) -> request.keyId(entry.keyId())).keyMetadata())
			.filter((key) -> KEY_DESCRIPTION.equals(key.description()) && key.keyState() == KeyState.ENABLED)
			.map(KeyMetadata::arn)
			.findFirst();
	}

	private String createKey() {
		return this.kms.createKey((request) -> request.description(KEY_DESCRIPTION)).keyMetadata().arn();
	}

	/**
	 * Stops the emulator this process started, and waits until it is gone, so that no
	 * orphan holds the port (the next start would take it for an emulator holding this
	 * run's resources).
	 */
	@PreDestroy
	void stop() throws InterruptedException {
		Process process = this.process;
		if (process == null || !process.isAlive()) {
			return;
		}
		process.destroy();
		if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			logger.warn("moto_server did not stop within {} s; killing it", STOP_TIMEOUT.toSeconds());
			process.destroyForcibly();
			process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		logger.info("Stopped moto_server");
	}

	private static @Nullable Process start(URI endpoint) {
		File log = new File(System.getProperty("java.io.tmpdir"), "transfer-portal-demo-moto.log");
		try {
			Process process = new ProcessBuilder(
					EmulatorCommand.of(Path.of(System.getProperty("java.io.tmpdir"), "transfer-portal-demo-emulator"),
							endpoint.getHost(), endpoint.getPort()))
				.redirectErrorStream(true)
				.redirectOutput(log)
				.start();
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (!answers(endpoint)) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					// not an emulator of this run: nothing is new, nothing is reset
					process.destroyForcibly();
					logger.warn("moto_server did not start on {} (see {}); the demo runs without an AWS emulator",
							endpoint, log);
					return null;
				}
				Thread.sleep(200);
			}
			logger.info("Started moto_server on {}", endpoint);
			return process;
		}
		catch (IOException ex) {
			logger.warn("moto_server is not installed; the demo runs without an AWS emulator");
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static boolean answers(URI endpoint) {
		try {
			HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
			connection.setConnectTimeout(300);
			connection.setReadTimeout(1000);
			return connection.getResponseCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
