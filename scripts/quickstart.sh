#!/usr/bin/env bash
# Fresh machine to first result: install dependencies, build, and run
# `pgtinspect dump` on the small dump that ships with the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
b=fixtures/bundled
exec build/pgtinspect dump "$b/synth-clean.vmcore" -k "$b/synth-vmlinux"
