package io.transferportal.provisioning.transfer;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedServer;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;

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
	 * How a user of this server connects, from one DescribeServer call.
	 * @throws ProvisioningException if the server does not exist or cannot be read
	 */
	public Connection connection(Target target) {
		DescribedServer server = describe(target.serverId());
		if (server == null) {
			throw new ProvisioningException(ResourceKind.TRANSFER_USER,
					"Transfer server " + target.serverId() + " does not exist");
		}
		// the server is in the user's Region: arn:partition:transfer:region:...
		return Connections.of(server, List.of(), target.userArn().split(":")[3], target);
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
