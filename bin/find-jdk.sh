# Finds a JDK 25 and prints its home: JAVA_HOME when it is a JDK 25, else the newest
# JDK 25 under /usr/lib/jvm. Sourced by mvnw and workjs; exits with advice when there is none.
# The JDK's `release` file names its version; reading it costs nothing, where asking the JVM
# costs a JVM start (a tenth of a second or more, several times over when searching).
workjs_jdk_major() {
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
  fi
}

# The full version, for choosing the newest of several JDK 25s.
workjs_jdk_version() {
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -version 2>&1 | head -n 1
  fi
}

workjs_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] \
     && [ "$(workjs_jdk_major "$JAVA_HOME")" = "25" ]; then
    echo "$JAVA_HOME"; return 0
  fi
  local best="" candidate
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    [ -L "$candidate" ] && continue
    if [ "$(workjs_jdk_major "$candidate")" = "25" ]; then
      if [ -z "$best" ] || [ "$(workjs_jdk_version "$candidate")" \> "$(workjs_jdk_version "$best")" ]; then
        best="$candidate"
      fi
    fi
  done
  if [ -z "$best" ]; then
    echo "WorkJS needs a JDK 25 and found none (JAVA_HOME is '${JAVA_HOME:-unset}', nothing in /usr/lib/jvm)." >&2
    echo "Install one, e.g. Temurin 25 (Debian/Ubuntu package temurin-25-jdk) or openjdk-25-jdk, or point JAVA_HOME at it." >&2
    exit 1
  fi
  echo "$best"
}
