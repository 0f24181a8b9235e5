# HookBridge as a container image: Debian's OpenJDK 17, a non-root user, a class-data-sharing archive baked in.
#
#   podman build --format docker -t hookbridge .          (or: docker build -t hookbridge .)
#   podman run --rm -p 8080:8080 -v hookbridge-data:/app/data \
#       -e HOOKBRIDGE_SOURCES_IOTUM_SECRET=change-me hookbridge
#
# Volumes: /app/data (broker store, accepted event ids, attempt log: keep it), /app/routes (subscriptions and
# Camel YAML routes), /app/vendors (vendor definitions). Port 8080 is HTTP. The embedded broker's OpenWire port
# 61616 listens on the container's loopback only; to let other programs publish and consume over JMS, opt in with
# -e HOOKBRIDGE_BROKER_BIND=0.0.0.0:61616 -p 61616:61616 (and set HOOKBRIDGE_BROKER_PASSWORD).

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml .
COPY src/main src/main
COPY vendors vendors
# the local Maven repository is a build cache, so a rebuild downloads nothing (podman and BuildKit keep it)
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dmaven.test.skip=true package

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home hookbridge
WORKDIR /app
COPY bin/ bin/
COPY broker-config/ broker-config/
COPY routes/ routes/
COPY vendors/ vendors/
COPY --from=build /src/target/hookbridge.jar hookbridge.jar
# set the HTTP port with SERVER_PORT (not --server.port): the HEALTHCHECK below reads it
ENV HOOKBRIDGE_JAR=/app/hookbridge.jar \
    SERVER_PORT=8080
# one training start makes the class-data archive (/app/run/hookbridge.jsa): later starts load classes from it
RUN bin/hookbridge --prepare && test -s run/hookbridge.jsa \
 && mkdir -p data vendors && chown -R hookbridge:hookbridge data routes vendors
USER hookbridge
VOLUME ["/app/data", "/app/routes", "/app/vendors"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness" || exit 1
# bin/hookbridge execs the JVM, so the JVM is PID 1 and gets SIGTERM itself: ingest answers 503, work under way
# finishes, the broker closes its store. Give it 30 s (docker stop -t 30, stop_grace_period, Kubernetes' default).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/bin/hookbridge"]
