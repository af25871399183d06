package io.transferportal.provisioning.transfer;

import java.util.List;

import org.springframework.stereotype.Component;

import io.transferportal.provisioning.SshKey;
import io.transferportal.provisioning.core.Target;

/** The engine's window on a user's SSH keys as Transfer holds them (one DescribeUser). */
@Component
public class SshKeyLookup {

	private final TransferUser users;

	SshKeyLookup(TransferUser users) {
		this.users = users;
	}

	public List<SshKey> sshKeys(Target target) {
		return this.users.sshKeys(target);
	}

}
