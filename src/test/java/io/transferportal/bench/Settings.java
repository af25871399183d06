package io.transferportal.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's settings, from {@code bench.*} system properties (the Maven profile
 * passes them on).
 *
 * @param users users per provisioning run ({@code bench.users}, 200)
 * @param warmUpUsers users provisioned before the measured runs, not measured
 * ({@code bench.warmUpUsers}, 10)
 * @param latenciesMs delays per AWS call, one run each ({@code bench.latencyMs}, '50,0')
 * @param sweepUsers managed users in the verification sweep ({@code bench.sweepUsers},
 * 1000; the runs' users count, the rest are provisioned at 0 ms)
 * @param managedUsers managed users in the database for the dashboard and the users API
 * ({@code bench.managedUsers}, 10000)
 * @param starts portal starts for the start-up median ({@code bench.starts}, 3)
 * @param loadSeconds measured seconds per web load ({@code bench.loadSeconds}, 20)
 * @param warmUpSeconds unmeasured seconds before each web load
 * ({@code bench.warmUpSeconds}, 5)
 * @param idleSeconds seconds after start-up before the idle memory is read
 * ({@code bench.idleSeconds}, 5)
 * @param portalJvmArgs JVM options of the portal's process, space-separated
 * ({@code bench.portalJvmArgs}, none)
 * @param portalProperties extra portal settings, comma-separated name=value
 * ({@code bench.portalProperties}, none)
 * @param phases the parts to run, comma-separated ({@code bench.phases}, all of
 * {@link #PHASES}; {@code reapply} needs {@code provisioning})
 */
record Settings(int users, int warmUpUsers, List<Integer> latenciesMs, int sweepUsers, int managedUsers, int starts,
		double loadSeconds, double warmUpSeconds, double idleSeconds, List<String> portalJvmArgs,
		Map<String, String> portalProperties, List<String> phases) {

	/** Every part of the benchmark, in the order it runs. */
	static final List<String> PHASES = List.of("provisioning", "reapply", "sweep", "web", "startup");

	static Settings fromSystemProperties() {
		return new Settings(Integer.parseInt(property("bench.users", "200")),
				Integer.parseInt(property("bench.warmUpUsers", "10")),
				split(property("bench.latencyMs", "50,0"), ",").stream().map(Integer::valueOf).toList(),
				Integer.parseInt(property("bench.sweepUsers", "1000")),
				Integer.parseInt(property("bench.managedUsers", "10000")),
				Math.max(1, Integer.parseInt(property("bench.starts", "3"))),
				Double.parseDouble(property("bench.loadSeconds", "20")),
				Double.parseDouble(property("bench.warmUpSeconds", "5")),
				Double.parseDouble(property("bench.idleSeconds", "5")),
				split(property("bench.portalJvmArgs", ""), "\\s+"), pairs(property("bench.portalProperties", "")),
				phases(property("bench.phases", String.join(",", PHASES))));
	}

	private static String property(String name, String fallback) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? fallback : value.strip();
	}

	private static List<String> split(String value, String separator) {
		return Arrays.stream(value.split(separator)).map(String::strip).filter((s) -> !s.isEmpty()).toList();
	}

	private static Map<String, String> pairs(String value) {
		Map<String, String> pairs = new LinkedHashMap<>();
		for (String pair : split(value, ",")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("bench.portalProperties: '" + pair + "' is not name=value");
			}
			pairs.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
		}
		return pairs;
	}

	private static List<String> phases(String value) {
		List<String> phases = split(value, ",");
		for (String phase : phases) {
			if (!PHASES.contains(phase)) {
				throw new IllegalArgumentException("bench.phases: '" + phase + "' is not one of " + PHASES);
			}
		}
		return phases;
	}

	boolean runs(String phase) {
		return this.phases.contains(phase);
	}

	Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("users", this.users);
		map.put("warmUpUsers", this.warmUpUsers);
		map.put("latenciesMs", this.latenciesMs);
		map.put("sweepUsers", this.sweepUsers);
		map.put("managedUsers", this.managedUsers);
		map.put("starts", this.starts);
		map.put("loadSeconds", this.loadSeconds);
		map.put("warmUpSeconds", this.warmUpSeconds);
		map.put("idleSeconds", this.idleSeconds);
		map.put("portalJvmArgs", this.portalJvmArgs);
		map.put("portalProperties", this.portalProperties);
		map.put("phases", this.phases);
		return map;
	}

}
