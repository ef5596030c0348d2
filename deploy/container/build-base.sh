#!/usr/bin/env bash
# Builds the base image the Containerfile uses by default, without a registry: a Debian bookworm root file system
# from Debian's packages (mmdebstrap --variant=minbase) with a Java runtime made by jlink from the build's JDK.
#   deploy/container/build-base.sh [image]          (default localhost/rh-whatsapp-api-base:bookworm)
# Needs: podman, mmdebstrap, a JDK 21+ as JAVA_HOME (or java on PATH). With a registry there is no need for it:
# build the Containerfile with --build-arg BASE=eclipse-temurin:21-jre.
# The root file system is cached in ~/.cache/rh-whatsapp-api for a week; the image is rebuilt only when that week
# or the JDK changed.
set -euo pipefail
cd "$(dirname "$0")/../.."

image=${1:-localhost/rh-whatsapp-api-base:bookworm}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jdk_version=$("$java_home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
week=$(date -u +%G-W%V)
key="bookworm-$week-jdk-$jdk_version"

if [ "$(podman image inspect --format '{{index .Labels "rh.base.key"}}' "$image" 2>/dev/null || true)" = "$key" ]; then
  echo "base image $image is up to date ($key)"
  exit 0
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/rh-whatsapp-api
rootfs=$cache/rootfs-bookworm-$week.tar
mkdir -p "$cache"
if [ ! -f "$rootfs" ]; then
  echo "building the Debian bookworm root file system (${rootfs/#$HOME/\~})"
  rm -rf "$cache"/rootfs-bookworm-*
  # ca-certificates for HTTPS from the OS tools; passwd for useradd; tzdata for the JVM's and PostgreSQL's zones
  mmdebstrap --quiet --variant=minbase --format=tar --include=ca-certificates,passwd,tzdata \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    bookworm "$rootfs.part" "${RH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  mv "$rootfs.part" "$rootfs"
fi

build=target/container/base
rm -rf "$build"
mkdir -p "$build"
# the modules the jar's classes use (jdeps --print-module-deps on the extracted jar), and those Spring Boot, the JDBC
# driver and the AWS SDK reach by reflection or service loading
modules=java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.prefs,\
java.scripting,java.security.jgss,java.sql,java.sql.rowset,jdk.charsets,jdk.crypto.ec,jdk.jfr,jdk.management,\
jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
echo "linking a Java runtime from the build's JDK ($jdk_version)"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$build/jre"

rootfs_image=localhost/rh-debian-minbase:bookworm-$week
podman image exists "$rootfs_image" || podman import --quiet "$rootfs" "$rootfs_image" > /dev/null
podman build --quiet --format docker --build-arg ROOTFS="$rootfs_image" --label "rh.base.key=$key" \
  -f deploy/container/Containerfile.base -t "$image" "$build" > /dev/null
echo "built $image ($key)"
