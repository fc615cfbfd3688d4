// System-library shim over FFmpeg's libav*: includes, plus inline helpers for the macros Swift
// cannot import (function-like or tag-building macros). No logic lives here.
#ifndef DOWNLOADER2_CAUDIO_H
#define DOWNLOADER2_CAUDIO_H
#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/tx.h>

static inline int caudio_error_again(void) { return AVERROR(EAGAIN); }
static inline int caudio_error_eof(void) { return AVERROR_EOF; }
static inline int caudio_error_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t caudio_no_pts(void) { return AV_NOPTS_VALUE; }
static inline AVRational caudio_time_base_q(void) { return AV_TIME_BASE_Q; }
#endif
