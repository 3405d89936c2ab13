# syntax=docker/dockerfile:1
#
# Paystream images. Build:  docker build -t paystream-api .        (the API, the last stage)
#                           docker build --target payout-simulator -t paystream-payout-simulator .
# Run them with their dependencies: docker compose up --build   (see docker-compose.yml)

# ---- build: the same Maven wrapper and JDK 17 the project builds with everywhere ----------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src

COPY . .
# The cache mount keeps ~/.m2 (the wrapper's Maven and the dependency repository) across
# builds without putting it into any layer.
# -pl api,tools/payout-simulator -am: the two executable jars and the modules they are built
# from, the same package command as everywhere (CONTRACT.md "Running"); the load-tests module
# is not part of any image. Tests run in CI (.ci/run), not in the image build.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw \
 && ./mvnw -B -DskipTests -pl api,tools/payout-simulator -am package \
 && cp api/target/paystream-api.jar /paystream-api.jar \
 && cp tools/payout-simulator/target/payout-simulator.jar /payout-simulator.jar

# ---- runtime: a JRE only, as an unprivileged user; the base of both images ------------------
FROM eclipse-temurin:17-jre AS runtime

# A fixed numeric uid/gid, so `runAsNonRoot` checks (e.g. Kubernetes) can verify it.
RUN groupadd --system --gid 10001 paystream \
 && useradd --system --uid 10001 --gid paystream --no-create-home --shell /usr/sbin/nologin paystream

WORKDIR /app
# Size the heap from the container's memory limit, not the host's. More JVM flags can be
# passed with the JAVA_TOOL_OPTIONS environment variable, which the JVM reads by itself.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# ---- payout-simulator: the simulated payout provider, for local stacks only -----------------
FROM runtime AS payout-simulator
COPY --from=build --chown=root:root /payout-simulator.jar /app/payout-simulator.jar
USER 10001:10001
# Its default host is 127.0.0.1, right for a local run and unreachable from another container.
ENV PAYOUT_SIMULATOR_HOST=0.0.0.0 PAYOUT_SIMULATOR_PORT=8091
EXPOSE 8091
ENTRYPOINT ["java", "-jar", "/app/payout-simulator.jar"]

# ---- api: the Paystream API. Last, so that a plain `docker build .` builds it ---------------
FROM runtime AS api
COPY --from=build --chown=root:root /paystream-api.jar /app/paystream-api.jar
USER 10001:10001

EXPOSE 8080
# Exec form: java is PID 1 and receives SIGTERM directly, so Spring shuts down gracefully.
ENTRYPOINT ["java", "-jar", "/app/paystream-api.jar"]
