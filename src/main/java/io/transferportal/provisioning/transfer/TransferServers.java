package io.transferportal.provisioning.transfer;

import java.util.List;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.IdentityProviderType;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;

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
