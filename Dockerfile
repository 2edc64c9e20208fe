# One Oasis image for the instances and the demo upstreams of docker-compose.yml. Build the jar first:
#   ./mvnw -DskipTests package
FROM eclipse-temurin:17-jre
# curl for the compose healthchecks: recent Temurin images no longer carry it
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin oasis
WORKDIR /app
COPY target/oasis-*.jar /tmp/oasis.jar
# Faster start (docs/performance.md#startup, measured by bench/startup with these same commands): the jar extracted
# into plain jars (/app/oasis.jar + /app/lib; extract wants an empty destination), and a class data sharing archive
# written by a training start that stops once the application context is up.
RUN java -Djarmode=tools -jar /tmp/oasis.jar extract --destination /app && rm /tmp/oasis.jar
COPY jvm.options /app/jvm.options
RUN java @/app/jvm.options -XX:ArchiveClassesAtExit=/app/oasis.jsa -Dspring.context.exit=onRefresh \
      -jar /app/oasis.jar > /dev/null
USER oasis
# glibc's per-thread malloc arenas otherwise hold tens of MB the JVM no longer uses (jvm.options)
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
# exec form: the JVM is PID 1 and gets SIGTERM, so Boot's graceful shutdown finishes requests in flight
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=/app/oasis.jsa", "-jar", "/app/oasis.jar"]
