# flink-job-runner service image: the Quarkus service (REST + SSE API, job executor, deploy targets).
# Build from the repository root:  docker build -t flink-job-runner:0.1.0 .
# Stage 1 builds with Maven; stage 2 is a JRE with the Quarkus fast-jar only, running as a non-root user.

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /build
# Poms first: the dependency layer is cached until a pom changes.
COPY pom.xml ./
COPY .mvn .mvn
COPY build-tools build-tools
COPY sql-runner/pom.xml sql-runner/
COPY compiler/pom.xml compiler/
COPY pipeline/pom.xml pipeline/
COPY service/pom.xml service/
RUN mvn -B -q -pl service -am dependency:go-offline -DexcludeReactor=true || true
COPY sql-runner/src sql-runner/src
COPY compiler/src compiler/src
COPY pipeline/src pipeline/src
COPY service/src service/src
RUN mvn -B -q -pl service -am -DskipTests package

FROM eclipse-temurin:17.0.15_6-jre
LABEL org.opencontainers.image.title="flink-job-runner" \
      org.opencontainers.image.description="Compiles SHACL shapes into Flink SQL validation and deploys it" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 runner \
 && useradd --system --uid 10001 --gid runner --home-dir /work --no-create-home runner \
 && mkdir -p /work /deployments \
 && chown runner:runner /work
COPY --from=build --chown=root:root /build/service/target/quarkus-app/ /deployments/
ENV RUNNER_WORK_DIR=/work \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/work/tmp"
# Scratch space for downloads and the embedded demo database; mount an emptyDir (or a PVC for the demo).
VOLUME ["/work"]
WORKDIR /work
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "mkdir -p /work/tmp && exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
