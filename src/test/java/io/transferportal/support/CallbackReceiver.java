package io.transferportal.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A ticketing system's callback endpoint on a free loopback port (the tests' portal sends
 * callbacks to 127.0.0.1 only): answers every delivery 204 and counts them. Close it
 * after use.
 */
public final class CallbackReceiver implements AutoCloseable {

	private final HttpServer server;

	private final AtomicInteger received = new AtomicInteger();

	private CallbackReceiver(HttpServer server) {
		this.server = server;
	}

	public static CallbackReceiver start() {
		try {
			CallbackReceiver receiver = new CallbackReceiver(
					HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
			receiver.server.createContext("/hooks", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				receiver.received.incrementAndGet();
				exchange.sendResponseHeaders(204, -1);
				exchange.close();
			});
			receiver.server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The callback URL to give a request. */
	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hooks";
	}

	/** How many callbacks arrived. */
	public int received() {
		return this.received.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
