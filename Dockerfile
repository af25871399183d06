# syntax=docker/dockerfile:1
# Build: the same wrapper and pom as CI. Tests need moto_server and run in CI (.ci/run), not in the image build.
FROM eclipse-temurin:17-jdk-jammy AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B dependency:go-offline
COPY src src
COPY frontend-templates frontend-templates
RUN ./mvnw -B package -DskipTests \
 && java -Djarmode=tools -jar target/transfer-portal-*.jar extract --layers --launcher --destination /extracted

# Run: JRE only, unprivileged user, one layer per rate of change so rebuilds ship only the application layer
FROM eclipse-temurin:17-jre-jammy
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app portal
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER 10001
EXPOSE 8080
# AWS credentials come from the runtime (instance profile, EKS pod identity, ECS task role): never bake them in
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
