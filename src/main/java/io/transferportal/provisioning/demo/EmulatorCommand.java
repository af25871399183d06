package io.transferportal.provisioning.demo;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The command that starts the AWS emulator: moto's server, run through
 * {@code emulator/transfer_extensions.py}, which first adds the Transfer calls moto 5.2.1
 * lacks (UpdateUser, TagResource, UntagResource, ListTagsForResource, ListHostKeys). Used
 * by the demo profile and by the tests.
 */
public final class EmulatorCommand {

	private static final String EXTENSIONS = "emulator/transfer_extensions.py";

	private EmulatorCommand() {
	}

	/**
	 * The command line for an emulator on this host and port.
	 * @param directory where to put the script, out of the classpath, for the interpreter
	 * to run
	 * @throws IOException if the script cannot be written there
	 */
	public static List<String> of(Path directory, String host, int port) throws IOException {
		return List.of(python(), extensions(directory).toString(), "-H", host, "-p", String.valueOf(port));
	}

	/**
	 * The interpreter moto is installed in: the one a pip-installed {@code moto_server}
	 * names in its first line, else {@code python3} on the PATH (as for a pyenv shim, a
	 * shell script).
	 */
	private static String python() {
		return onPath("moto_server").flatMap(EmulatorCommand::shebangPython).orElse("python3");
	}

	private static Optional<Path> onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		return List.of(path.split(File.pathSeparator))
			.stream()
			.filter((directory) -> !directory.isEmpty())
			.map((directory) -> Path.of(directory, command))
			.filter(Files::isExecutable)
			.findFirst();
	}

	private static Optional<String> shebangPython(Path script) {
		try (InputStream in = Files.newInputStream(script)) {
			String first = new String(in.readNBytes(256), StandardCharsets.UTF_8).lines().findFirst().orElse("");
			if (!first.startsWith("#!")) {
				return Optional.empty();
			}
			String interpreter = first.substring(2).trim().split("\\s+")[0];
			boolean python = interpreter.contains("python") && Files.isExecutable(Path.of(interpreter));
			return python ? Optional.of(interpreter) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static Path extensions(Path directory) throws IOException {
		try (InputStream in = EmulatorCommand.class.getClassLoader().getResourceAsStream(EXTENSIONS)) {
			if (in == null) {
				throw new IOException(EXTENSIONS + " is not on the classpath");
			}
			Path script = directory.resolve("transfer_extensions.py").toAbsolutePath();
			Files.createDirectories(script.getParent());
			// copied and moved into place, so an emulator another process starts at the
			// same time never reads half a file
			Path copy = Files.createTempFile(script.getParent(), "transfer_extensions", ".tmp");
			Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
			Files.move(copy, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return script;
		}
	}

}
