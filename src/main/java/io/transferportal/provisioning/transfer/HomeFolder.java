package io.transferportal.provisioning.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transfer.model.DescribedServer;
import software.amazon.awssdk.services.transfer.model.DirectoryListingOptimization;

import io.transferportal.provisioning.ChangeAction;
import io.transferportal.provisioning.PlannedChange;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.Decision;
import io.transferportal.provisioning.core.Documents;
import io.transferportal.provisioning.core.Sharing;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.UserResource;

/**
 * The folder marker of the user's home: a zero-byte object {@code prefix/}. 'If you are
 * not using Amazon S3 performance optimization settings your root directory must exist on
 * startup. For Amazon S3, this means creating a zero-byte object that ends with a forward
 * slash (/)'
 * (https://docs.aws.amazon.com/transfer/latest/userguide/implement-log-dirs.html), and
 * that optimisation is off by default for servers created through the API, CLI or
 * infrastructure as code
 * (https://docs.aws.amazon.com/transfer/latest/userguide/API_S3StorageOptions.html).
 * Without it a new user, above all a read-only one, logs in to a root that does not
 * exist. The marker is never deleted: the user's files are kept.
 */
@Component
class HomeFolder implements UserResource<HomeFolder.Live, HomeFolder.Work> {

	private static final ResourceKind KIND = ResourceKind.HOME_FOLDER;

	private final S3Client s3;

	private final TransferServers servers;

	HomeFolder(S3Client s3, TransferServers servers) {
		this.s3 = s3;
		this.servers = servers;
	}

	/** Before the user, so no user ever logs in to a home that does not exist yet. */
	@Override
	public int getOrder() {
		return 390;
	}

	@Override
	public Set<ResourceKind> kinds() {
		return Set.of(KIND);
	}

	@Override
	public Live read(Target target) {
		DescribedServer server = this.servers.describe(target.serverId());
		if (server == null) {
			throw new ProvisioningException(KIND,
					"Transfer server " + target.serverId() + " no longer exists; the home folder cannot be checked");
		}
		boolean optimised = server.s3StorageOptions() != null
				&& server.s3StorageOptions().directoryListingOptimization() == DirectoryListingOptimization.ENABLED;
		if (optimised) {
			return new Live(true, false, false);
		}
		AwsErrors.Presence marker = AwsErrors.presence(KIND, "HeadObject " + markerUri(target),
				() -> this.s3.headObject((request) -> request.bucket(target.spec().bucket())
					.key(markerKey(target))
					.expectedBucketOwner(target.accountId())));
		return new Live(false, marker == AwsErrors.Presence.PRESENT, marker == AwsErrors.Presence.ACCESS_DENIED);
	}

	@Override
	public Decision<Work> decide(Target target, @Nullable Live live) {
		Live state = (live != null) ? live : new Live(false, false, false);
		if (state.optimised()) {
			return Decision
				.none(PlannedChange.none(KIND, arn(target), document(target, null), "No folder marker needed: server "
						+ target.serverId() + " uses S3 directory listing optimisation"));
		}
		if (state.markerExists()) {
			return Decision.none(PlannedChange.none(KIND, arn(target), document(target, true),
					"Folder marker " + markerUri(target) + " exists"));
		}
		List<String> warnings = new ArrayList<>();
		if (state.unreadable()) {
			// a bucket policy may deny reads the portal makes; writing the empty marker
			// again is harmless
			warnings.add("The portal may not read " + markerUri(target) + " (HeadObject was denied, e.g. by the "
					+ "bucket policy), so it cannot tell whether the marker exists; it writes it.");
		}
		warnings.add("Alternatively enable S3 directory listing optimisation on server " + target.serverId()
				+ "; then no folder markers are needed.");
		return Decision.write(Work.PUT_MARKER,
				new PlannedChange(KIND, arn(target), ChangeAction.CREATE, null, document(target, true),
						"Create folder marker " + markerUri(target) + " (server " + target.serverId()
								+ " does not use S3 directory listing optimisation, so the home folder must exist on "
								+ "first login)",
						warnings));
	}

	/** The marker stays: the user's files are kept, and so is their folder. */
	@Override
	public Decision<Work> decideRemoval(Target target, @Nullable Live live, Sharing sharing) {
		return Decision.none(PlannedChange.none(KIND, arn(target), null,
				"Home folder " + markerUri(target) + " is kept with the user's files"));
	}

	@Override
	public Live readForRemoval(Target target) {
		return new Live(false, false, false);
	}

	/**
	 * The marker is written only if no object of that key exists: S3 answers a PutObject
	 * with {@code If-None-Match: *} on an existing key with 412 Precondition Failed
	 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html), so
	 * whatever is there stays.
	 */
	@Override
	public boolean createsWithoutReading(Set<ResourceKind> createdInThisRun) {
		return true;
	}

	@Override
	public void write(Target target, Work work) {
		try {
			// no encryption header: the bucket's default (SSE-KMS with the user's key)
			// applies, as it does for what Transfer writes
			AwsErrors.run(KIND, "PutObject " + markerUri(target),
					() -> this.s3.putObject((request) -> request.bucket(target.spec().bucket())
						.key(markerKey(target))
						.contentLength(0L)
						.ifNoneMatch("*")
						.expectedBucketOwner(target.accountId()), RequestBody.empty()));
		}
		catch (ProvisioningException ex) {
			if (ex.getCause() instanceof AwsServiceException denied && AwsErrors.isAccessDenied(denied)) {
				throw new ProvisioningException(KIND, "PutObject " + markerUri(target)
						+ " was denied: the portal needs s3:PutObject on the folder marker and, because the bucket "
						+ "encrypts it with key " + target.keyArn()
						+ ", kms:GenerateDataKey on that key (in the key policy itself when it does not delegate to "
						+ "the account)", ex);
			}
			throw ex;
		}
	}

	private static String markerKey(Target target) {
		return target.homePrefix() + "/";
	}

	private static String markerUri(Target target) {
		return "s3://" + target.spec().bucket() + "/" + markerKey(target);
	}

	private static String arn(Target target) {
		return target.bucketArn() + "/" + markerKey(target);
	}

	private static String document(Target target, @Nullable Boolean marker) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("Bucket", target.spec().bucket());
		document.put("Key", markerKey(target));
		document.put("FolderMarker", (marker != null) ? "zero-byte object" : "not needed");
		return Documents.pretty(document);
	}

	/**
	 * What the portal read.
	 *
	 * @param optimised whether the server lists S3 directories with optimisation, so no
	 * marker is needed
	 * @param markerExists whether the marker object exists
	 * @param unreadable whether the portal was denied reading the marker
	 */
	record Live(boolean optimised, boolean markerExists, boolean unreadable) {
	}

	enum Work {

		PUT_MARKER

	}

}
