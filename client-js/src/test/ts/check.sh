#!/bin/sh
# The type check of the browser client, run by ./mvnw verify (client-js, test phase):
# ws.d.ts against usage.ts with tsc, then against ws.js with members.mjs.
set -eu
cd "${0%/*}/../../.."
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "client-js: '$tool' is not on the PATH. The type check of ws.d.ts needs Node.js 18 or newer" >&2
    echo "with npm (https://nodejs.org/); install it, or skip all tests with -DskipTests." >&2
    exit 1
  fi
done
# npm ci only when node_modules is missing or older than the lock file (a new TypeScript pin).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx --no-install tsc -p src/test/ts
echo "client-js: ws.d.ts accepts usage.ts and rejects every @ts-expect-error line"
node src/test/ts/members.mjs
