# The JVM flags that turn on the Graal JIT for GraalJS on a stock JDK 25. Sourced by workjs;
# server/pom.xml passes the same set to the tests. $1 is the folder with the compiler jars.
workjs_jit_flags() {
  echo "-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=$1" \
       "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
}
