package io.transferportal.provisioning.transfer;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedServer;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;
import software.amazon.awssdk.services.transfer.model.ListHostKeysResponse;

import io.transferportal.provisioning.Connection;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.core.ReadCache;
import io.transferportal.provisioning.core.Target;

/**
 * The Transfer servers users can be requested on: Amazon S3 servers with service-managed
 * identities.
 */
@Component
public class TransferServers {

	private static final Logger logger = LoggerFactory.getLogger(TransferServers.class);

	private final TransferClient transfer;

	TransferServers(TransferClient transfer) {
		this.transfer = transfer;
	}

	/**
	 * One server, read once per verification run; {@code null} when it does not exist.
	 */
	public @Nullable DescribedServer describe(String serverId) {
		return ReadCache.get("transfer-server:" + serverId,
				() -> AwsErrors.findOrNull(ResourceKind.TRANSFER_USER, "DescribeServer " + serverId,
						() -> this.transfer.describeServer((request) -> request.serverId(serverId)).server()));
	}

	/**
	 * How a user of this server connects: DescribeServer, and ListHostKeys for every host
	 * key the server presents (a server may have several, e.g. RSA and ED25519:
	 * https://docs.aws.amazon.com/transfer/latest/APIReference/API_ListHostKeys.html).
	 * @throws ProvisioningException if the server does not exist or cannot be read
	 */
	public Connection connection(Target target) {
		DescribedServer server = describe(target.serverId());
		if (server == null) {
			throw new ProvisioningException(ResourceKind.TRANSFER_USER,
					"Transfer server " + target.serverId() + " does not exist");
		}
		return Connections.of(server, hostKeyFingerprints(target.serverId()),
				// the server is in the user's Region: arn:partition:transfer:region:...
				target.userArn().split(":")[3], target);
	}

	/**
	 * Every host key's fingerprint; none where the server's keys cannot be listed (the
	 * one DescribeServer shows is still given).
	 */
	private List<String> hostKeyFingerprints(String serverId) {
		List<String> fingerprints = new ArrayList<>();
		String next = null;
		try {
			do {
				String token = next;
				ListHostKeysResponse page = AwsErrors.call(ResourceKind.TRANSFER_USER, "ListHostKeys " + serverId,
						() -> this.transfer
							.listHostKeys((request) -> request.serverId(serverId).maxResults(100).nextToken(token)));
				page.hostKeys().forEach((key) -> fingerprints.add(key.fingerprint()));
				next = page.nextToken();
			}
			while (next != null);
		}
		catch (ProvisioningException ex) {
			logger.debug("Host keys of {} not listed: {}", serverId, ex.getMessage());
			return List.of();
		}
		return fingerprints;
	}

	public List<String> serviceManagedServerIds() {
		return AwsErrors.call(ResourceKind.TRANSFER_USER, "ListServers",
				() -> this.transfer.listServersPaginator((request) -> request.maxResults(1000))
					.servers()
					.stream()
					.filter((server) -> server.identityProviderType() == null
							|| server.identityProviderType() == IdentityProviderType.SERVICE_MANAGED)
					// an EFS server takes no session policy, so the portal cannot serve
					// it
					.filter((server) -> TransferUser.storesOnS3(server.domain()))
					.map((server) -> server.serverId())
					.sorted()
					.toList());
	}

}
