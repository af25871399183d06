import java.time.Duration;
import java.util.Comparator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * Where the portal's start-up time goes: starts the application with Spring's
 * {@link BufferingApplicationStartup}, prints the slowest start-up steps (bean
 * instantiations with their own time and their children's, context refresh phases) and
 * stops. A single-file program, run against the extracted jar (see bench/startup.sh):
 *
 * <pre>
 * java -Djarmode=tools -jar target/transfer-portal-0.1.0-SNAPSHOT.jar extract --destination /tmp/portal
 * java -cp /tmp/portal/transfer-portal-0.1.0-SNAPSHOT.jar bench/StartupSteps.java [how many, default 40]
 * </pre>
 */
public class StartupSteps {

	public static void main(String[] args) throws Exception {
		int top = (args.length > 0) ? Integer.parseInt(args[0]) : 40;
		Class<?> application = Class.forName("io.transferportal.PortalApplication");
		SpringApplication spring = new SpringApplication(application);
		BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
		spring.setApplicationStartup(startup);
		long begin = System.nanoTime();
		ConfigurableApplicationContext context = spring.run();
		long total = System.nanoTime() - begin;
		StartupTimeline timeline = startup.getBufferedTimeline();
		System.out.printf("%nstarted in %d ms; %d steps recorded; the %d longest (ms, including nested steps):%n",
				Duration.ofNanos(total).toMillis(), timeline.getEvents().size(), top);
		timeline.getEvents()
			.stream()
			.sorted(Comparator.comparing(StartupTimeline.TimelineEvent::getDuration).reversed())
			.limit(top)
			.forEach((event) -> System.out.printf("%7d  %s%n", event.getDuration().toMillis(),
					describe(event.getStartupStep())));
		context.close();
	}

	private static String describe(StartupStep step) {
		StringBuilder text = new StringBuilder(step.getName());
		step.getTags().forEach((tag) -> text.append(' ').append(tag.getKey()).append('=').append(tag.getValue()));
		return text.toString();
	}

}
