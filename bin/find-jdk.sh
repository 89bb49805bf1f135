# Finds a JDK 25 and prints its home: JAVA_HOME when it is a JDK 25, else the newest
# JDK 25 under /usr/lib/jvm. Sourced by mvnw and workjs; exits with advice when there is none.
workjs_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
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
      if [ -z "$best" ] || [ "$("$candidate/bin/java" -version 2>&1 | head -n 1)" \> "$("$best/bin/java" -version 2>&1 | head -n 1)" ]; then
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
