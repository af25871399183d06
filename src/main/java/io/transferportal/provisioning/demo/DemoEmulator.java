package io.transferportal.provisioning.demo;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;

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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.Protocol;

import io.transferportal.provisioning.aws.AwsProperties;

/**
 * The demo profile's stand-in for AWS: starts moto's server ({@link EmulatorCommand}) on
 * the configured endpoint if nothing answers there, and creates a Transfer server, a
 * bucket and a KMS key to request users on. Never active outside the demo profile
 * ({@code portal.demo.emulator.enabled}).
 */
@Component
@ConditionalOnBooleanProperty("portal.demo.emulator.enabled")
class DemoEmulator {

	private static final Logger logger = LoggerFactory.getLogger(DemoEmulator.class);

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

	@EventListener(ApplicationReadyEvent.class)
	void seed() {
		try {
			String server = this.transfer
				.createServer((request) -> request.identityProviderType(IdentityProviderType.SERVICE_MANAGED)
					.protocols(Protocol.SFTP))
				.serverId();
			String bucket = "demo-transfer-inbox";
			this.s3.createBucket((request) -> request.bucket(bucket));
			String key = this.kms.createKey((request) -> request.description("Transfer Portal demo key"))
				.keyMetadata()
				.arn();
			logger.info("Demo AWS emulator ready: Transfer server {}, bucket {}, KMS key {}", server, bucket, key);
		}
		catch (SdkException ex) {
			logger.warn("Demo AWS emulator is not reachable ({}); requests will fail until it is",
					ex.getClass().getSimpleName());
		}
	}

	@PreDestroy
	void stop() {
		if (this.process != null) {
			this.process.destroy();
		}
	}

	private static @Nullable Process start(URI endpoint) {
		try {
			Process process = new ProcessBuilder(
					EmulatorCommand.of(Path.of(System.getProperty("java.io.tmpdir"), "transfer-portal-demo-emulator"),
							endpoint.getHost(), endpoint.getPort()))
				.redirectErrorStream(true)
				.redirectOutput(new File(System.getProperty("java.io.tmpdir"), "transfer-portal-demo-moto.log"))
				.start();
			for (int i = 0; i < 100 && !answers(endpoint); i++) {
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
