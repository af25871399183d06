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
# A small service's JVM (see bench/startup.sh for the figures): the serial collector (one service thread, no G1
# remembered sets: less memory on 2 cores), smaller thread stacks, a bounded code cache and metaspace; the heap is 75%
# of the container's memory limit, so set a limit (512 MB is enough for the portal).
ENV PORTAL_JVM_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=256m"
# Class-data sharing (AppCDS): a training run starts the application context once (Flyway on a throwaway in-memory
# H2, no AWS call) and exits after the refresh; the JVM stores the classes it loaded in app.jsa, which every start
# then maps instead of loading, verifying and parsing them again. Built in this stage because the archive only fits
# the JVM that wrote it. Overriding JAVA_TOOL_OPTIONS without -XX:SharedArchiveFile only loses the speed-up.
RUN java $PORTAL_JVM_OPTIONS -XX:ArchiveClassesAtExit=/app/app.jsa -Dspring.context.exit=onRefresh \
      -Dspring.datasource.url=jdbc:h2:mem:training -jar /app/app.jar > /dev/null \
 && rm -rf data
USER 10001
EXPOSE 8080
# AWS credentials come from the runtime (instance profile, EKS pod identity, ECS task role): never bake them in
ENV JAVA_TOOL_OPTIONS="$PORTAL_JVM_OPTIONS -XX:SharedArchiveFile=/app/app.jsa"
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
