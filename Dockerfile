# WorkJS for the JVM: build the server, then run a site mounted at /site (the sample by default).
# The image runs the same ./workjs launcher that the tests run (server/src/test/.../DockerImageIT).

FROM eclipse-temurin:25-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends maven && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml mvnw workjs ./
COPY .mvn .mvn
COPY bin bin
COPY client-js client-js
COPY runtime-js runtime-js
COPY server server
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:25-jdk
# Sessions and the generated secret live in /data, writable by the server even when the site
# is mounted read-only; mount a volume there to keep sessions across containers.
RUN useradd --system --no-create-home workjs && mkdir /data && chown workjs /data
WORKDIR /opt/workjs
COPY --from=build /src/workjs /opt/workjs/workjs
COPY --from=build /src/bin /opt/workjs/bin
COPY --from=build /src/server/target/workjs-server.jar /opt/workjs/server/target/workjs-server.jar
COPY --from=build /src/server/target/lib /opt/workjs/server/target/lib
COPY --from=build /src/server/target/jvmci /opt/workjs/server/target/jvmci
COPY sample-site /site
USER workjs
VOLUME /data
EXPOSE 3000
ENTRYPOINT ["/opt/workjs/workjs", "--host", "0.0.0.0", "--port", "3000", "--data", "/data"]
CMD ["/site"]
