#!/bin/sh
# Lays out an installed gateway, as the container image and the systemd unit run it:
#   DEST/loomcast-gateway.jar, DEST/lib/*.jar   the gateway and its dependencies (the Maven build's output)
#   DEST/bin/loomcast                            the launcher: java from JAVA_HOME or PATH, LOOMCAST_JAVA_OPTS
#   DEST/natives/                                the FFmpeg natives, extracted now and left read-only
# Usage: deploy/docker/install.sh gateway/target DEST     (after ./mvnw -pl gateway -am package)
# The Dockerfile runs exactly this; DeployLayoutIT runs it too, into a temporary directory.
set -eu
target=$1
dest=$2
[ -f "$target/loomcast-gateway.jar" ] || { echo "install.sh: no $target/loomcast-gateway.jar; build first" >&2; exit 1; }
mkdir -p "$dest/bin" "$dest/lib"
cp "$target/loomcast-gateway.jar" "$dest/"
cp "$target"/lib/*.jar "$dest/lib/"
cat > "$dest/bin/loomcast" <<'LAUNCHER'
#!/bin/sh
# Loomcast launcher of an installed layout: java 21 or newer from JAVA_HOME, else from PATH.
top=$(cd "$(dirname "$0")/.." && pwd)
java=java
[ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
# exec: java becomes this process, so it gets the stop signal (SIGTERM) itself.
# A 32 MiB young generation unless the options size the heap themselves (as bin/gateway does; RESULTS.md).
opts=${LOOMCAST_JAVA_OPTS:-}
case " $opts " in
  *" -Xmn"* | *NewSize* | *NewRatio* | *" -Xmx"* | *MaxHeapSize*) ;;
  *) opts="-Xmn32m $opts" ;;
esac
# Freed native memory back to the system every 5 s, as bin/gateway does.
case " $opts " in
  *TrimNativeHeap*) ;;
  *) opts="-XX:TrimNativeHeapInterval=5000 $opts" ;;
esac
exec "$java" $opts -jar "$top/loomcast-gateway.jar" "$@"
LAUNCHER
chmod 0755 "$dest/bin/loomcast"
# JavaCPP extracts the natives on first load; doing it here means the gateway only ever reads them.
"$dest/bin/loomcast" natives --cache-dir "$dest/natives"
chmod -R a-w "$dest/natives"
chmod -R a+rX "$dest"
