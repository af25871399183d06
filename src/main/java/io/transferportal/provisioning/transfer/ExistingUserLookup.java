package io.transferportal.provisioning.transfer;

import java.util.List;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;

import io.transferportal.provisioning.AdoptionRefusedException;
import io.transferportal.provisioning.AdoptionRefusedException.Reason;
import io.transferportal.provisioning.ExistingUser;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;

/**
 * The engine's window on Transfer users that exist outside the portal: DescribeServer and
 * DescribeUser, then {@link AdoptionRules}.
 */
@Component
public class ExistingUserLookup {

	private final TransferClient transfer;

	private final TransferServers servers;

	ExistingUserLookup(TransferClient transfer, TransferServers servers) {
		this.transfer = transfer;
		this.servers = servers;
	}

	/**
	 * The user as the adoption keeps it.
	 * @throws InvalidUserSpecException if the server does not exist or the portal cannot
	 * manage its users (EFS, another identity provider, no SFTP)
	 * @throws AdoptionRefusedException if the user does not exist or cannot be adopted
	 */
	public ExistingUser describe(String serverId, String userName) {
		List<FieldViolation> violations = TransferUser.serverViolations(serverId, this.servers.describe(serverId));
		if (!violations.isEmpty()) {
			throw new InvalidUserSpecException(violations);
		}
		DescribedUser user = AwsErrors.findOrNull(ResourceKind.TRANSFER_USER, "DescribeUser " + userName,
				"Transfer server " + serverId,
				() -> this.transfer.describeUser((request) -> request.serverId(serverId).userName(userName)).user());
		if (user == null) {
			throw new AdoptionRefusedException(Reason.NOT_FOUND,
					"User " + userName + " does not exist on " + serverId + "; there is nothing to adopt");
		}
		return AdoptionRules.existing(serverId, userName, user);
	}

}
