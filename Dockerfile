# One image for the Flotilla manager and agent: `flotilla manager ...` or `flotilla agent ...` (the charts pass the
# arguments). Build from the repository root:
#   docker build -t flotilla/flotilla:0.1.0 .
# The build stage runs Maven (it downloads dependencies); the runtime stage holds the CLI jar and its lib/ only.
# helm-java bundles Helm's native library for the build platform: build on (or for) linux/amd64.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package -pl cli -am

FROM eclipse-temurin:17-jre AS runtime
# A fixed non-root user (the charts' runAsUser); nothing in the image is writable by it: the charts mount
# emptyDir volumes at /tmp and at the data/scratch directories, with a read-only root file system.
RUN groupadd --system --gid 10001 flotilla \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin flotilla
WORKDIR /opt/flotilla
COPY --from=build /src/cli/target/flotilla-cli-*.jar /opt/flotilla/flotilla-cli.jar
COPY --from=build /src/cli/target/lib/ /opt/flotilla/lib/
COPY --from=build /src/cli/src/main/cds/agent-classes.txt /opt/flotilla/agent-classes.txt
COPY docker/entrypoint.sh /opt/flotilla/entrypoint.sh
# The agent's class-data archive (as bin/flotilla builds it), made here because the root file system is
# read-only at run time; a failed dump only costs the agent a few MiB.
RUN chmod 0755 /opt/flotilla/entrypoint.sh \
 && (java -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile=/opt/flotilla/agent-classes.txt \
      -XX:SharedArchiveFile=/opt/flotilla/agent-cds.jsa -cp '/opt/flotilla/flotilla-cli.jar:/opt/flotilla/lib/*' \
      >/dev/null 2>&1 || rm -f /opt/flotilla/agent-cds.jsa)
# JGit, fabric8 and the JVM look under $HOME; /tmp is the writable volume
ENV HOME=/tmp JAVA_OPTS=""
USER 10001:10001
ENTRYPOINT ["/opt/flotilla/entrypoint.sh"]
CMD ["--help"]
