package io.transferportal.provisioning.demo;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The demo profile's settings as Spring Boot reads them (application.properties, then
 * application-demo.properties), on a web server alone: the portal's context, and the
 * emulator the demo would start, are not needed to see where it listens.
 */
class DemoProfileTests {

	@Test
	void theDemoListensOnLoopbackOnly() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebServerOnly.class).profiles("demo")
			.properties("server.port=0")
			.run()) {
			WebServer server = ((WebServerApplicationContext) context).getWebServer();
			Connector connector = ((TomcatWebServer) server).getTomcat().getConnector();
			assertThat(connector.getProperty("address")).isEqualTo(InetAddress.getByName("127.0.0.1"));
			int port = server.getPort();
			try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
				assertThat(socket.isConnected()).isTrue();
			}
			// every other address of this machine is refused (a machine with loopback
			// alone has none to try)
			for (InetAddress other : otherAddresses()) {
				assertThatExceptionOfType(ConnectException.class).as("connecting on %s", other)
					.isThrownBy(() -> new Socket(other, port).close());
			}
			// and the emulator the demo starts listens on the endpoint's host
			assertThat(URI.create(context.getEnvironment().getProperty("portal.aws.endpoint")).getHost())
				.isEqualTo("127.0.0.1");
		}
	}

	private static List<InetAddress> otherAddresses() throws SocketException {
		return NetworkInterface.networkInterfaces()
			.filter(DemoProfileTests::isUp)
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
			.toList();
	}

	private static boolean isUp(NetworkInterface network) {
		try {
			return network.isUp();
		}
		catch (SocketException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(TomcatServletWebServerAutoConfiguration.class)
	static class WebServerOnly {

	}

}
