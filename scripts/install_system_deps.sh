#!/usr/bin/env bash
# Debian packages used by the tests: chromium + an emoji font (widget test), PostgreSQL
# (store tests), Redis and nginx (the local multi-process cluster, devtools/cluster.py).
# Installs only what is missing; never fails the build if apt is unavailable (the tests
# that need a package then skip with a clear message).
set -uo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -eq 0 ]; then echo "==> system packages present"; exit 0; fi
echo "==> installing Debian packages: ${need[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "WARNING: could not install ${need[*]}; tests needing them will be skipped"
exit 0
