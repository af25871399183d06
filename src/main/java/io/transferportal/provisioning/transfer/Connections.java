package io.transferportal.provisioning.transfer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.transfer.model.DescribedServer;
import software.amazon.awssdk.services.transfer.model.EndpointType;
import software.amazon.awssdk.services.transfer.model.Tag;

import io.transferportal.provisioning.Connection;
import io.transferportal.provisioning.core.Target;

/**
 * Derives the connection details of a user from its server, as a pure function.
 * <p>
 * A server with a public endpoint, or a VPC endpoint with Elastic IP addresses, answers
 * at {@code <server-id>.server.transfer.<region>.amazonaws.com}
 * (https://docs.aws.amazon.com/transfer/latest/userguide/transfer-file.html); a custom
 * host name is kept in the server's tag {@value #CUSTOM_HOSTNAME_TAG}
 * (https://docs.aws.amazon.com/transfer/latest/userguide/requirements-dns.html). A server
 * reachable only inside a VPC answers at its VPC endpoint's DNS names, which are EC2's to
 * tell.
 */
final class Connections {

	static final String CUSTOM_HOSTNAME_TAG = "aws:transfer:customHostname";

	private Connections() {
	}

	static Connection of(DescribedServer server, List<String> hostKeyFingerprints, String region, Target target) {
		String host = customHostname(server);
		String note = null;
		if (host == null) {
			if (reachableFromTheInternet(server)) {
				host = server.serverId() + ".server.transfer." + region + ".amazonaws.com";
			}
			else {
				String endpoint = (server.endpointDetails() != null) ? server.endpointDetails().vpcEndpointId() : null;
				note = "Server " + server.serverId() + " is reachable only inside its VPC: connect to the DNS name of "
						+ ((endpoint != null) ? "VPC endpoint " + endpoint : "its VPC endpoint")
						+ " (shown in the VPC console)";
			}
		}
		Set<String> fingerprints = new LinkedHashSet<>(hostKeyFingerprints);
		if (server.hostKeyFingerprint() != null && !server.hostKeyFingerprint().isBlank()) {
			fingerprints.add(server.hostKeyFingerprint());
		}
		String command = (host != null) ? "sftp -i <private key file> " + target.userName() + "@" + host : null;
		return new Connection(host, note, new ArrayList<>(fingerprints), target.userName(), target.homeTarget(),
				command);
	}

	private static @Nullable String customHostname(DescribedServer server) {
		if (!server.hasTags()) {
			return null;
		}
		return server.tags()
			.stream()
			.filter((tag) -> CUSTOM_HOSTNAME_TAG.equals(tag.key()))
			.map(Tag::value)
			.filter((value) -> value != null && !value.isBlank())
			.findFirst()
			.orElse(null);
	}

	private static boolean reachableFromTheInternet(DescribedServer server) {
		EndpointType type = server.endpointType();
		if (type == null || type == EndpointType.PUBLIC) {
			return true;
		}
		// a VPC endpoint with Elastic IPs is internet-facing and keeps the server's name
		return type == EndpointType.VPC && server.endpointDetails() != null
				&& server.endpointDetails().hasAddressAllocationIds()
				&& !server.endpointDetails().addressAllocationIds().isEmpty();
	}

}
