# Build stage: the same Maven build as on a developer machine.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
# packed into the jar and served at GET /openapi.yaml
COPY docs/openapi.yaml docs/openapi.yaml
RUN mvn -B -q package -DskipTests

# Run stage: Debian's Java 17 runtime, libjpeg-turbo (the fast JPEG path), libwebp (WebP decoding), libheif
# (HEIC and AVIF) and LittleCMS (colour profiles), nothing else.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless libturbojpeg0 libwebp7 libheif1 liblcms2-2 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/imgedge --create-home imgedge
COPY --from=build /src/target/imgedge.jar /opt/imgedge/imgedge.jar
USER imgedge
WORKDIR /var/lib/imgedge
ENV IMGEDGE_STORAGE_DIR=/var/lib/imgedge/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=60", "-jar", "/opt/imgedge/imgedge.jar"]
