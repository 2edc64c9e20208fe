# One Oasis image for the instances and the demo upstreams of docker-compose.yml. Build the jar first:
#   ./mvnw -DskipTests package
FROM eclipse-temurin:17-jre
# curl for the compose healthchecks: recent Temurin images no longer carry it
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin oasis
WORKDIR /app
COPY target/oasis-*.jar app.jar
USER oasis
EXPOSE 8080
# exec form: the JVM is PID 1 and gets SIGTERM, so Boot's graceful shutdown finishes requests in flight
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
