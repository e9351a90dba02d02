# syntax=docker/dockerfile:1
# Pulse as a container image, used by docker-compose.yml (scripts/run is the Docker-free way).
#   docker build -t pulse .

# --- build: the Spring Boot fat jar ---------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# pom.xml, src/ and frontend/ (browser assets the pom packages as static resources);
# .dockerignore keeps target/, .pulse/ and .git out.
COPY . .
# The cache mount keeps ~/.m2 between builds, so only changed dependencies are downloaded.
# The glob matches the repackaged jar only (not *.jar.original); cp fails if that is ambiguous.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests package \
 && cp target/pulse-*.jar /src/pulse.jar

# --- runtime: a JRE and the jar -------------------------------------------------------------
FROM eclipse-temurin:17-jre
# An unprivileged user; Pulse keeps no local state (it lives in PostgreSQL and Kafka).
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin pulse
WORKDIR /app
COPY --from=build /src/pulse.jar /app/pulse.jar
USER pulse
EXPOSE 8080
# The temurin image ships curl, which docker-compose.yml's health check uses.
# The JVM flags scripts/run starts Pulse with (scripts/lib/common.sh, pulse_jvm_flags; docs/performance.md): huge pages
# for the heap (the host kernel decides whether they exist) and, on this JDK 17, G1's card refinement in its pauses.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseTransparentHugePages", \
            "-XX:-G1UseAdaptiveConcRefinement", "-XX:G1ConcRefinementGreenZone=200000", \
            "-XX:G1ConcRefinementYellowZone=300000", "-XX:G1ConcRefinementRedZone=400000", \
            "-jar", "/app/pulse.jar"]
