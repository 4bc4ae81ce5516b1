#!/usr/bin/env bash
# Fresh machine to first result: install dependencies, build, and run
# `pgtinspect dump` on the small dump that ships with the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
b=fixtures/bundled
xz -dc "$b/synth-clean.vmcore.xz" > build/synth-clean.vmcore
exec build/pgtinspect dump build/synth-clean.vmcore -k "$b/vmlinux-synth"
