package io.transferportal.provisioning;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a user connects: what the requester passes on to whoever logs in.
 *
 * @param host the host name to connect to; {@code null} when the server is reachable only
 * through a VPC endpoint whose DNS name the portal does not read
 * @param note how to find the host name when it is {@code null}, or other advice
 * @param hostKeyFingerprints the server's host key fingerprints, to check on first
 * connect
 * @param userName the user to log in as
 * @param homeFolder where the user lands: {@code /bucket/prefix}, shown as {@code /}
 * @param sftpCommand a ready command line, with a placeholder for the private key
 */
public record Connection(@Nullable String host, @Nullable String note, List<String> hostKeyFingerprints,
		String userName, String homeFolder, @Nullable String sftpCommand) {

	public Connection {
		hostKeyFingerprints = List.copyOf(hostKeyFingerprints);
	}

}
