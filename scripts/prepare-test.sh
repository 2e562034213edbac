#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine and builds the
# kit: Chromium, ffmpeg, CJK and OCR-B fonts, Postgres and redis-server (the suite runs throwaway ones)
# and the registry test media from apt, livekit-server
# from the Go module proxy (cached in .tools/), the fake-camera fixtures (cached
# in .cache/), the face model and the client bundle. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[[ -e /usr/lib/python3/dist-packages/skimage/data/astronaut.png ]] || missing+=(python3-skimage)
[[ -e /usr/share/doc/opencv-doc/examples/data/tree.avi ]] || missing+=(opencv-doc)
# Korean, Japanese and Chinese glyphs for the screenshots of translated pages (Chromium draws boxes without them).
fc-list :lang=ko 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
# OCR-B, the machine-readable zone's typeface, for the generated specimen identity documents.
[[ -e /usr/share/fonts/opentype/ocr-b/OCRB.otf ]] || missing+=(fonts-ocr-b)
if ((${#missing[@]})); then
  echo "prepare-test: installing ${missing[*]} with apt-get" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npx tsx scripts/install-livekit.ts
bash scripts/make-fixtures.sh
bash scripts/make-player-clips.sh
npm run build --silent
