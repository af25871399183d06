package io.transferportal.provisioning.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A demo stopped with Ctrl-C (SIGINT) or SIGTERM exits with status 0, after the same
 * graceful shutdown as before: {@code System.exit} runs the JVM's shutdown hooks, Spring
 * Boot's among them, which closes the context (the web server, the runs, the emulator,
 * the database).
 * <p>
 * Why: the JVM's own handlers exit with 128 plus the signal's number, and
 * {@code ./mvnw spring-boot:run} reports every status but 0 and 130 (SIGINT) as a failure
 * of the forked process, so stopping the demo with SIGTERM, as an IDE's stop button,
 * {@code kill} or {@code timeout} do, ended in "BUILD FAILURE ... exit code: 143". The
 * plugin has no setting for the statuses it accepts, and only the demo is run that way:
 * the portal itself keeps the JVM's statuses, which orchestrators read. A signal the JVM
 * was started to ignore (SIGINT of a background job, SIGHUP under {@code nohup}) stays
 * ignored.
 */
@Component
@ConditionalOnBooleanProperty("portal.demo.emulator.enabled")
class DemoShutdown implements DisposableBean {

	private static final List<String> SIGNALS = List.of("INT", "TERM");

	private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

	DemoShutdown() {
		for (String name : SIGNALS) {
			Signal signal = new Signal(name);
			SignalHandler before = Signal.handle(signal, DemoShutdown::exit);
			if (before == SignalHandler.SIG_IGN) {
				Signal.handle(signal, before);
			}
			else {
				this.previous.put(signal, before);
			}
		}
	}

	private static void exit(Signal signal) {
		System.exit(0);
	}

	/** The JVM's handlers again once the context is closed. */
	@Override
	public void destroy() {
		this.previous.forEach(Signal::handle);
	}

}
