package io.transferportal.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;

/**
 * Every figure of a run, as a JSON document and as the printed table (figure, value and
 * the target where it has one).
 */
final class Results {

	private final Map<String, Object> document = new LinkedHashMap<>();

	private final List<String[]> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	Results() {
		this.document.put("machine", machine());
	}

	/** A section of the JSON document. */
	Map<String, Object> section(String name) {
		@SuppressWarnings("unchecked")
		Map<String, Object> section = (Map<String, Object>) this.document.computeIfAbsent(name,
				(key) -> new LinkedHashMap<String, Object>());
		return section;
	}

	/** A list section of the JSON document. */
	List<Object> list(String name) {
		@SuppressWarnings("unchecked")
		List<Object> list = (List<Object>) this.document.computeIfAbsent(name, (key) -> new ArrayList<Object>());
		return list;
	}

	/** One line of the table. */
	void row(String figure, String value, String target) {
		this.rows.add(new String[] { figure, value, target });
		System.out.printf("  %-62s %s%n", figure, value);
	}

	String table() {
		int figure = "Figure".length();
		int value = "Value".length();
		for (String[] row : this.rows) {
			figure = Math.max(figure, row[0].length());
			value = Math.max(value, row[1].length());
		}
		StringBuilder table = new StringBuilder();
		String format = "| %-" + figure + "s | %-" + value + "s | %s |%n";
		table.append(String.format(format, "Figure", "Value", "Target"));
		table.append(String.format(format, "-".repeat(figure), "-".repeat(value), "------"));
		// grouped by part, (a) to (f), in the order measured within each
		this.rows.stream()
			.sorted(Comparator.comparing((String[] row) -> row[0].substring(0, Math.min(3, row[0].length()))))
			.forEach((row) -> table.append(String.format(format, row[0], row[1], row[2])));
		return table.toString();
	}

	/** Lines printed after the table, not in it. */
	void note(String line) {
		this.notes.add(line);
	}

	List<String> notes() {
		return this.notes;
	}

	void write(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		this.document.put("table",
				this.rows.stream().map((row) -> Map.of("figure", row[0], "value", row[1], "target", row[2])).toList());
		Files.writeString(file,
				PortalClient.JSON.rebuild()
					.enable(SerializationFeature.INDENT_OUTPUT)
					.build()
					.writeValueAsString(this.document));
	}

	static String number(double value) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		return String.format(Locale.ROOT, (Math.abs(value) >= 100) ? "%.0f" : "%.2f", value);
	}

	private static Map<String, Object> machine() {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("memoryMb", memoryMegabytes());
		machine.put("cpu", cpuModel());
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		machine.put("benchmarkJvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
		return machine;
	}

	private static long memoryMegabytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					return Long.parseLong(line.substring("MemTotal:".length()).replace("kB", "").strip()) / 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: left unknown
		}
		return -1;
	}

	private static String cpuModel() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).strip();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: left unknown
		}
		return "unknown";
	}

}
