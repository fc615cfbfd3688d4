// System-library shim over FFmpeg's libav*: only includes; helpers arrive where Swift imports a macro badly.
#ifndef DOWNLOADER2_CAUDIO_H
#define DOWNLOADER2_CAUDIO_H
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#endif
