# syntax=docker/dockerfile:1
#
# Paystream API image. Build:  docker build -t paystream-api .
# Run it with its dependencies: docker compose up --build   (see docker-compose.yml)

# ---- build: the same Maven wrapper and JDK 17 the project builds with everywhere ----------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src

COPY . .
# The cache mount keeps ~/.m2 (the wrapper's Maven and the dependency repository) across
# builds without putting it into any layer.
# -pl api -am: the API jar and the modules it is built from; the load-tests module is not
# part of the image. Tests run in CI (.ci/run), not in the image build.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw \
 && ./mvnw -B -DskipTests -pl api -am package \
 && cp api/target/paystream-api.jar /paystream-api.jar

# ---- run: a JRE only, as an unprivileged user ---------------------------------------------
FROM eclipse-temurin:17-jre

# A fixed numeric uid/gid, so `runAsNonRoot` checks (e.g. Kubernetes) can verify it.
RUN groupadd --system --gid 10001 paystream \
 && useradd --system --uid 10001 --gid paystream --no-create-home --shell /usr/sbin/nologin paystream

WORKDIR /app
COPY --from=build --chown=root:root /paystream-api.jar /app/paystream-api.jar
USER 10001:10001

EXPOSE 8080
# Size the heap from the container's memory limit, not the host's. More JVM flags can be
# passed with the JAVA_TOOL_OPTIONS environment variable, which the JVM reads by itself.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Exec form: java is PID 1 and receives SIGTERM directly, so Spring shuts down gracefully.
ENTRYPOINT ["java", "-jar", "/app/paystream-api.jar"]
