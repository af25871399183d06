# syntax=docker/dockerfile:1
# Build: the same wrapper and pom as CI. Tests need moto_server and run in CI (.ci/run), not in the image build.
FROM eclipse-temurin:17-jdk-jammy AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B dependency:go-offline
COPY src src
COPY frontend-templates frontend-templates
# extracted as a plain jar (app.jar) with its libraries in lib/: class-data sharing (below) needs jar files on the
# class path, which the nested jars of the uber jar are not
RUN ./mvnw -B package -DskipTests \
 && java -Djarmode=tools -jar target/transfer-portal-*.jar extract --layers --destination /extracted \
      --application-filename app.jar

# Run: JRE only, unprivileged user, one layer per rate of change so rebuilds ship only the application layer
FROM eclipse-temurin:17-jre-jammy
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app portal
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
# A small service's JVM (figures: bench/startup.sh, README): the serial collector (no G1 remembered sets and service
# threads: less memory on 2 cores), a heap that starts at 64 MB and grows to 75% of the container's memory limit
# (set a limit: 512 MB is enough for the portal), smaller thread stacks, a bounded code cache and metaspace.
# -XX:TieredStopAtLevel=1 keeps to the quick C1 compiler: on 2 cores the optimising C2 compiler's work competes with
# the portal for minutes after each start, and the benchmark (README, "Last results") measured the C1-only portal
# faster in every figure but the users API after a minute of load (1,127 against 942 requests/s): 4.7x instead of
# 3.3x the SDK script at 50 ms per AWS call, the dashboard's p95 35 ms instead of 57; with this image's other options
# and its archive it starts in 11.0 s instead of 13.9 s and holds 359 MB idle instead of 406 (bench/startup.sh,
# session F). Remove it for a long-running portal under a steady heavy API load.
ENV PORTAL_JVM_OPTIONS="-XX:MaxRAMPercentage=75 -Xms64m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=256m -XX:TieredStopAtLevel=1"
# Class-data sharing (AppCDS): a training run starts the application context once (Flyway on a throwaway in-memory
# H2, no AWS call) and exits after the refresh; the JVM stores the classes it loaded in app.jsa, which every start
# then maps instead of loading, verifying and parsing them again. Built in this stage because the archive only fits
# the JVM that wrote it. Overriding JAVA_TOOL_OPTIONS without -XX:SharedArchiveFile only loses the speed-up.
RUN java $PORTAL_JVM_OPTIONS -XX:ArchiveClassesAtExit=/app/app.jsa -Dspring.context.exit=onRefresh \
      -Dspring.datasource.url=jdbc:h2:mem:training -jar /app/app.jar > /dev/null \
 && rm -rf data
USER 10001
EXPOSE 8080
# glibc's malloc otherwise keeps up to 8 arenas per core for the JVM's native allocations (compiler, class loading):
# about 45 MB less idle resident memory
ENV MALLOC_ARENA_MAX=2
# AWS credentials come from the runtime (instance profile, EKS pod identity, ECS task role): never bake them in
ENV JAVA_TOOL_OPTIONS="$PORTAL_JVM_OPTIONS -XX:SharedArchiveFile=/app/app.jsa"
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
