package io.transferportal.provisioning.transfer;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.transfer.model.DescribedServer;
import software.amazon.awssdk.services.transfer.model.EndpointType;
import software.amazon.awssdk.services.transfer.model.Tag;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.Connection;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.provisioning.core.Target;
import io.transferportal.provisioning.core.TestTargets;

import static org.assertj.core.api.Assertions.assertThat;

/** Connection details as a pure function of the server as read. */
class ConnectionsTests {

	static final String SERVER = "s-0123456789abcdef0";

	Target target = TestTargets.resolve(new UserSpec(SERVER, "alice", "payments-inbox", "partners/alice",
			"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", List.of(),
			AccessLevel.READ_WRITE, null, Map.of()));

	@Test
	void aPublicServerAnswersAtItsTransferHostName() {
		Connection connection = Connections.of(server(EndpointType.PUBLIC).hostKeyFingerprint("SHA256:abc").build(),
				List.of("SHA256:def"), "us-east-1", this.target);

		assertThat(connection.host()).isEqualTo(SERVER + ".server.transfer.us-east-1.amazonaws.com");
		assertThat(connection.note()).isNull();
		assertThat(connection.hostKeyFingerprints()).containsExactly("SHA256:def", "SHA256:abc");
		assertThat(connection.homeFolder()).isEqualTo("/payments-inbox/partners/alice");
		assertThat(connection.sftpCommand())
			.isEqualTo("sftp -i <private key file> alice@" + SERVER + ".server.transfer.us-east-1.amazonaws.com");
	}

	@Test
	void aCustomHostNameWins() {
		Connection connection = Connections.of(server(EndpointType.PUBLIC)
			.tags(Tag.builder().key("aws:transfer:customHostname").value("sftp.example.com").build())
			.build(), List.of(), "eu-west-1", this.target);

		assertThat(connection.host()).isEqualTo("sftp.example.com");
		assertThat(connection.sftpCommand()).endsWith("alice@sftp.example.com");
	}

	@Test
	void aVpcServerWithElasticIpsKeepsItsNameAndAnInternalOneNamesItsEndpoint() {
		Connection internetFacing = Connections.of(server(EndpointType.VPC)
			.endpointDetails((details) -> details.addressAllocationIds("eipalloc-1").vpcId("vpc-1"))
			.build(), List.of(), "us-east-1", this.target);
		assertThat(internetFacing.host()).isEqualTo(SERVER + ".server.transfer.us-east-1.amazonaws.com");

		Connection internal = Connections.of(
				server(EndpointType.VPC).endpointDetails((details) -> details.vpcEndpointId("vpce-0abc")).build(),
				List.of(), "us-east-1", this.target);
		assertThat(internal.host()).isNull();
		assertThat(internal.sftpCommand()).isNull();
		assertThat(internal.note()).contains("only inside its VPC", "VPC endpoint vpce-0abc");
	}

	private static DescribedServer.Builder server(EndpointType type) {
		return DescribedServer.builder().arn("arn").serverId(SERVER).endpointType(type);
	}

}
