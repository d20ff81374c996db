#!/usr/bin/env bash
# Makes the simulator's media fixtures once, with Debian's ffmpeg/ffprobe. The outputs are committed
# (scripts/simulator/fixtures/), so neither the demo nor the tests need ffmpeg to *serve* video.
#
# Per fixture <name>:
#   <name>.h264|.h265   raw Annex-B elementary stream, an access unit delimiter (AUD) before every access unit,
#                       so the simulator splits access units without a demuxer; starts with an IDR.
#   <name>.json         ffprobe -show_packets/-show_streams of the intermediate MP4 (90 kHz video time base):
#                       per access unit, in decode order: pts, dts, flags (K = keyframe). B-frames need pts != dts.
#   <name>.aac          (h264-aac) ADTS AAC-LC, 32 kHz mono: 4 s = exactly 125 frames of 1024 samples, so the
#                       audio loop is as long as the video loop and timestamps stay continuous across loops.
#   <name>.alaw         (h264-pcma) raw G.711 A-law, 8 kHz mono, 4 s.
#   <name>.jpg          the ONVIF snapshot.
# Usage: bash scripts/make-fixtures.sh   (or npm run fixtures)
#        ONLY="h264-sub" bash scripts/make-fixtures.sh   remakes only the named fixtures (space-separated), leaving
#        the committed others byte-for-byte as they are.
set -euo pipefail
FFMPEG=${FFMPEG:-/usr/bin/ffmpeg}
FFPROBE=${FFPROBE:-/usr/bin/ffprobe}
OUT="$(cd "$(dirname "$0")" && pwd)/simulator/fixtures"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf
# testsrc already draws a running number; a timecode overlay (when a font exists) makes stalls and loops obvious.
overlay() { # $1 label, $2 font size
  if [ -f "$FONT" ]; then
    echo ",drawtext=fontfile=$FONT:fontsize=$2:fontcolor=white:box=1:boxcolor=black@0.6:x=10:y=10:text='$1 %{pts\\:hms} #%{frame_num}'"
  fi
}

# $1 name, $2 WxH, $3 seconds, $4 codec args (x264/x265), $5 extension, $6 bitstream filter, $7 extra filters
ONLY=${ONLY:-}
wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

make_video() {
  wanted "$1" || return 0
  local name=$1 size=$2 secs=$3 codecargs=$4 ext=$5 bsf=$6 extra=${7:-}
  local fmt=h264; [ "$ext" = .h265 ] && fmt=hevc
  local fs=$(( ${size%x*} >= 1280 ? 40 : 22 ))
  # shellcheck disable=SC2086
  "$FFMPEG" -hide_banner -loglevel error -y -f lavfi -i "testsrc=size=$size:rate=25$extra$(overlay "$name" $fs)" \
    -t "$secs" -pix_fmt yuv420p $codecargs -video_track_timescale 90000 -an "$TMP/$name.mp4"
  "$FFMPEG" -hide_banner -loglevel error -y -i "$TMP/$name.mp4" -c:v copy -bsf:v "$bsf" -f "$fmt" "$OUT/$name$ext"
  "$FFPROBE" -v error -select_streams v:0 -show_entries stream=codec_name,profile,width,height,r_frame_rate,time_base \
    -show_entries packet=pts,dts,flags -of json "$TMP/$name.mp4" | jq -c . > "$OUT/$name.json"
  "$FFMPEG" -hide_banner -loglevel error -y -i "$TMP/$name.mp4" -frames:v 1 -q:v 4 "$OUT/$name.jpg"
}

X264_COMMON="-c:v libx264 -preset medium -g 25 -keyint_min 25 -sc_threshold 0 -x264-params aud=1:repeat-headers=1"
X265_COMMON="-c:v libx265 -preset fast -x265-params keyint=25:min-keyint=25:scenecut=0:bframes=0:open-gop=0:aud=1:repeat-headers=1:log-level=error"

# Default: 720p25, ~2 Mb/s, GOP 1 s, no B-frames, main profile, 3 s loop (3 GOPs) to stay well under 1 MB.
make_video h264 1280x720 3 "$X264_COMMON -profile:v main -bf 0 -b:v 1800k -maxrate 2000k -bufsize 2000k" .h264 h264_mp4toannexb \
  ",noise=alls=10:allf=t"  # testsrc alone compresses to ~0.7 Mb/s; grain brings it to a camera-like ~2 Mb/s
# The smaller ones: 640x360, 4 s.
make_video h264-bframes 640x360 4 "$X264_COMMON -profile:v main -bf 2 -b:v 800k -maxrate 1000k -bufsize 1000k" .h264 h264_mp4toannexb
make_video h265 640x360 4 "$X265_COMMON:vbv-maxrate=800:vbv-bufsize=800 -b:v 600k -tag:v hvc1" .h265 hevc_mp4toannexb
make_video h264-aac 640x360 4 "$X264_COMMON -profile:v main -bf 0 -b:v 800k -maxrate 1000k -bufsize 1000k" .h264 h264_mp4toannexb
make_video h264-pcma 640x360 4 "$X264_COMMON -profile:v baseline -bf 0 -b:v 800k -maxrate 1000k -bufsize 1000k" .h264 h264_mp4toannexb
# A camera-like long GOP (2 s, as many real cameras send; 2-4 s is common): the relay's segments then span 2 s, which
# is what made a cold tile stall after its quick-start pieces (npm run bench:wall -- --gop2). 640x360, 4 s = 2 GOPs.
make_video h264-gop2 640x360 4 "${X264_COMMON/-g 25 -keyint_min 25/-g 50 -keyint_min 50} -profile:v main -bf 0 -b:v 800k -maxrate 1000k -bufsize 1000k" .h264 h264_mp4toannexb
# Glass-to-glass latency probe (bench:latency): the bottom band (rows 300-359) is a row of eight 80 px blocks, white
# (235) or black (16) by the bits of the frame number in the loop (0-249, LSB on the left), chroma neutral (geq's X/Y
# are per plane: the 4:2:0 chroma band starts at row 150); the browser reads them from the <video> through a canvas, the simulator logs when it sent each frame.
# 640x360, 10 s = 250 frames (fits 8 bits), GOP 1 s, no B-frames (presentation order = send order).
make_video latency-probe 640x360 10 "$X264_COMMON -profile:v main -bf 0 -b:v 500k -maxrate 600k -bufsize 600k" .h264 h264_mp4toannexb \
  ",format=yuv420p,geq=lum='if(gte(Y\\,300)\\,if(bitand(N\\,pow(2\\,floor(X/80)))\\,235\\,16)\\,lum(X\\,Y))':cb='if(gte(Y\\,150)\\,128\\,cb(X\\,Y))':cr='if(gte(Y\\,150)\\,128\\,cr(X\\,Y))'"
# Alternates for the sps-change fault: same codec, another resolution.
make_video h264-alt 960x540 4 "$X264_COMMON -profile:v main -bf 0 -b:v 900k -maxrate 1000k -bufsize 1000k" .h264 h264_mp4toannexb
make_video h265-alt 960x540 4 "$X265_COMMON:vbv-maxrate=800:vbv-bufsize=800 -b:v 600k -tag:v hvc1" .h265 hevc_mp4toannexb
rm -f "$OUT/h264-alt.jpg" "$OUT/h265-alt.jpg"
# Sub-stream (子码流, ONVIF Profile_2) of the cameras whose main stream is the 720p default: the same scene at
# 640x360, ~0.45 Mb/s, 3 s like the main loop. Grain keeps the bitrate camera-like (~0.42 Mb/s; ~0.38 without it).
make_video h264-sub 640x360 3 "$X264_COMMON -profile:v main -bf 0 -b:v 450k -maxrate 500k -bufsize 500k" .h264 h264_mp4toannexb \
  ",noise=alls=12:allf=t"

# PTZ views (云台视角): what a simulated dome shows at each pan sector, main stream (1280x720, the `h264` fixture's
# encoder settings, so the SPS is the same and a switch is only a new IDR) and sub-stream (640x360, `h264-sub`'s).
# One flat colour per view with a big label and the running frame number: a test reads the colour from a canvas.
# Flat pictures compress to a few kB/s, so a dome costs the simulator less than a fixed camera.
PTZ_COLOURS=(0xB03020 0xC08010 0x208040 0x2050B0 0x8030A0)
for i in 0 1 2 3 4; do
  c=${PTZ_COLOURS[$i]}
  make_video "ptz-$i" 1280x720 3 "$X264_COMMON -profile:v main -bf 0 -b:v 1800k -maxrate 2000k -bufsize 2000k" .h264 h264_mp4toannexb \
    ":decimals=0,drawbox=c=$c:t=fill$( [ -f "$FONT" ] && echo ",drawtext=fontfile=$FONT:fontsize=160:fontcolor=white:x=(w-tw)/2:y=(h-th)/2:text='PTZ $i'")"
  make_video "ptz-sub-$i" 640x360 3 "$X264_COMMON -profile:v main -bf 0 -b:v 450k -maxrate 500k -bufsize 500k" .h264 h264_mp4toannexb \
    ":decimals=0,drawbox=c=$c:t=fill$( [ -f "$FONT" ] && echo ",drawtext=fontfile=$FONT:fontsize=80:fontcolor=white:x=(w-tw)/2:y=(h-th)/2:text='PTZ $i'")"
done

# Audio: a 1 kHz beep every second over a quiet tone, exactly 4 s.
wanted h264-aac && "$FFMPEG" -hide_banner -loglevel error -y -f lavfi -i "sine=frequency=440:sample_rate=32000:beep_factor=2" \
  -ac 1 -c:a aac -b:a 48k -frames:a 125 -f adts "$OUT/h264-aac.aac"
wanted h264-pcma && "$FFMPEG" -hide_banner -loglevel error -y -f lavfi -i "sine=frequency=440:sample_rate=8000:beep_factor=2" \
  -t 4 -ac 1 -c:a pcm_alaw -f alaw "$OUT/h264-pcma.alaw"

ls -l "$OUT"
