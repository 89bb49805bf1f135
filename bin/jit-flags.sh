# The JVM flags that turn on the Graal JIT for GraalJS on a stock JDK 25, set into the array
# WORKJS_JIT_FLAGS. Sourced by workjs; server/pom.xml passes the same set to the tests.
# $1 is the folder with the compiler jars. When a jar is missing the JVM would refuse to start
# with these flags, so the server runs interpreted instead and is told why: it then logs
# "JS: interpreted (...)".
workjs_jit_flags() {
  local dir="$1" jar
  for jar in compiler collections word truffle-compiler; do
    if ! ls "$dir/$jar"-[0-9]*.jar >/dev/null 2>&1; then
      WORKJS_JIT_FLAGS=("-Dworkjs.jit.off=the Graal compiler jar $jar is missing from ${dir##*/}/")
      return 0
    fi
  done
  WORKJS_JIT_FLAGS=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$dir"
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
}
