#!/usr/bin/env bash
# Installs what pgtinspect needs to build and test on Debian 12.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libkdumpfile-dev libdwarf-dev libelf-dev zlib1g-dev
      python3 xz-utils)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
