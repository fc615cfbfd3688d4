// extern "C" API over libtorrent-rasterbar 2.0. Opaque handles and plain C structs; no C++
// exception ever crosses this boundary: failures return a non-zero code and fill lt_shim_error.
#ifndef DOWNLOADER2_CTORRENTSHIM_H
#define DOWNLOADER2_CTORRENTSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The libtorrent version string compiled against (e.g. "2.0.8.0"); static storage.
const char *lt_shim_version(void);
/// The libtorrent version the loaded shared library reports at run time; static storage.
const char *lt_shim_runtime_version(void);

/// Codes of failures that are not libtorrent error values.
enum {
    LT_SHIM_ERROR_EXCEPTION = -1,       // any other C++ exception
    LT_SHIM_ERROR_NOT_IN_SESSION = -2,  // no torrent with that info-hash in the session
};

/// A failure: libtorrent's error value (or an LT_SHIM_ERROR_* code) and a readable message.
typedef struct lt_shim_error {
    int code;
    char message[512];
} lt_shim_error;

/// Frees memory the shim handed out (buffers, strings).
void lt_shim_free(void *pointer);

// MARK: - Session

typedef struct lt_shim_session lt_shim_session;

typedef struct lt_shim_settings {
    const char *listen_interfaces;     // "0.0.0.0:6881,[::]:6881" or "127.0.0.1:0"
    const char *dht_bootstrap_nodes;   // "host:port,host:port"
    int enable_dht, enable_lsd, enable_upnp, enable_natpmp;
    int enable_utp;                    // 0: TCP only, both directions
    int dial_utp;                      // 1: peers are dialled over uTP first (libtorrent's default); 0: over TCP
    int download_rate_limit;           // bytes/s, 0 = unlimited
    int upload_rate_limit;             // bytes/s, 0 = unlimited
    int connections_limit;             // 0 = libtorrent default
    int allow_multiple_connections_per_ip;
    int hashing_threads;               // 0 = default
    int aio_threads;                   // 0 = default
    int tuned_for_throughput;          // request queues and buffers of high_performance_seed()
    int allow_local_trackers;          // 1: no SSRF mitigation (loopback trackers in tests)
    int rate_limit_local_peers;        // 1: rate limits apply to LAN/loopback peers too (by default they do not)
    int min_reconnect_secs;            // seconds before a peer is dialled again; 0 = libtorrent's default (60)
    int send_buffer_watermark_kib;     // upper send buffer watermark per peer; 0 = the preset's
    int max_queued_disk_kib;           // bytes of disk writes queued before peers are throttled; 0 = the preset's
    int disk_thread;                   // 1: POSIX disk jobs run on a thread of their own; 0: on the network thread
    int keep_files_open;               // 1: files stay open and pieces are hashed as written (cached_disk_io.cpp); 0: libtorrent's POSIX disk I/O
    int os_cache;                      // 0: with keep_files_open, whole pieces are written past the page cache (O_DIRECT)
} lt_shim_settings;

/// A session with POSIX disk I/O (bounded memory; see docs/NOTES.md#libtorrent-disk-io-and-memory). NULL on failure.
lt_shim_session *lt_session_create(const lt_shim_settings *settings, lt_shim_error *error);
/// Stops the session and frees it; blocks until libtorrent has shut down.
void lt_session_destroy(lt_shim_session *session);
/// Applies new rate limits while running.
int lt_session_set_rate_limits(lt_shim_session *session, int download_bytes_per_sec, int upload_bytes_per_sec, lt_shim_error *error);
/// The TCP port the session listens on (after binding port 0), or 0.
int lt_session_listen_port(lt_shim_session *session);
/// Calls `notify(context)` when alerts become available, possibly on a libtorrent thread:
/// it must only wake the thread that calls lt_session_pop_alerts.
void lt_session_set_alert_notify(lt_shim_session *session, void (*notify)(void *context), void *context);

// MARK: - Torrents (identified by info-hash: 40 hex v1, or 64 hex v2 when there is no v1)

typedef struct lt_shim_add_params {
    const char *magnet_uri;            // either this,
    const uint8_t *torrent_data;       // or a .torrent file,
    size_t torrent_size;
    const uint8_t *resume_data;        // or resume data written by this shim (wins over the others)
    size_t resume_size;
    const char *save_path;
    int paused;
    int seed_mode;                     // trust that the files are complete (a seeder that made them)
    const char *const *peers;          // "ip:port" to connect to directly
    int peer_count;
    const char *const *trackers;       // extra tracker URLs
    int tracker_count;
    int hold_payload;                  // upload mode: fetch metadata, request no pieces until released
    const uint8_t *file_priorities;    // per file, for .torrent files (metadata known at add)
    int file_priority_count;
} lt_shim_add_params;

/// Adds a torrent (or finds the one already in the session). Writes its best info-hash to `info_hash`.
int lt_session_add(lt_shim_session *session, const lt_shim_add_params *params, char info_hash[65], lt_shim_error *error);
/// Removes a torrent; with `delete_files` its downloaded files go too.
int lt_session_remove(lt_shim_session *session, const char *info_hash, int delete_files, lt_shim_error *error);
/// Info-hashes of every torrent in the session, as one malloc'd string "hash\nhash\n" (free with lt_shim_free).
char *lt_session_torrents(lt_shim_session *session);

enum {
    LT_SHIM_STATE_CHECKING_FILES = 1,
    LT_SHIM_STATE_DOWNLOADING_METADATA = 2,
    LT_SHIM_STATE_DOWNLOADING = 3,
    LT_SHIM_STATE_FINISHED = 4,
    LT_SHIM_STATE_SEEDING = 5,
    LT_SHIM_STATE_CHECKING_RESUME_DATA = 7,
};

typedef struct lt_shim_status {
    int state;                         // LT_SHIM_STATE_*
    int paused;
    int has_metadata;
    int is_finished;                   // every wanted piece is here
    int is_seeding;
    float progress;                    // 0…1 of the wanted bytes
    int64_t total_wanted;
    int64_t total_wanted_done;
    int64_t total_done;
    int64_t total_size;
    int64_t all_time_download;
    int64_t all_time_upload;
    int download_payload_rate;         // bytes/s
    int upload_payload_rate;
    int num_peers, num_seeds;          // connected
    int list_peers, list_seeds;        // known
    int64_t seeding_duration_secs;
    int64_t active_duration_secs;
    int need_save_resume;
    int is_private;                    // the metadata's private flag (0 until the metadata is here)
    char error[256];                   // empty when none
    char name[256];
    char save_path[1024];
} lt_shim_status;

int lt_torrent_status(lt_shim_session *session, const char *info_hash, lt_shim_status *status, lt_shim_error *error);
int lt_torrent_pause(lt_shim_session *session, const char *info_hash, lt_shim_error *error);
int lt_torrent_resume(lt_shim_session *session, const char *info_hash, lt_shim_error *error);
int lt_torrent_force_recheck(lt_shim_session *session, const char *info_hash, lt_shim_error *error);
/* Announces to every tracker now, instead of at the tracker's next interval. */
int lt_torrent_force_reannounce(lt_shim_session *session, const char *info_hash, lt_shim_error *error);
/// Requests resume data (with the info dict, so a magnet's metadata survives); it arrives as an alert.
int lt_torrent_save_resume_data(lt_shim_session *session, const char *info_hash, int only_if_modified, lt_shim_error *error);
int lt_torrent_connect_peer(lt_shim_session *session, const char *info_hash, const char *endpoint, lt_shim_error *error);
/// 0 (skip) … 7 (top) for each file, in file-index order.
int lt_torrent_set_file_priorities(lt_shim_session *session, const char *info_hash, const uint8_t *priorities, int count, lt_shim_error *error);
/// Ends (0) or starts (1) holding payload: while held, no piece is requested.
int lt_torrent_hold_payload(lt_shim_session *session, const char *info_hash, int hold, lt_shim_error *error);
/// Bytes downloaded of each file (`out` holds `count` values; fewer files leave the rest untouched).
int lt_torrent_file_progress(lt_shim_session *session, const char *info_hash, int64_t *out, int count, lt_shim_error *error);
/// Connected peers of a torrent by transport: over TCP and over uTP.
int lt_torrent_peer_transports(lt_shim_session *session, const char *info_hash, int *tcp, int *utp, lt_shim_error *error);
/// Block requests in flight on a torrent's connections: requested from peers and not yet received
/// (`download_blocks`), requested by peers and not yet sent (`upload_blocks`), over `peers` peers.
int lt_torrent_request_queues(lt_shim_session *session, const char *info_hash, int *download_blocks, int *upload_blocks, int *peers, lt_shim_error *error);

// MARK: - Session counters (libtorrent's own figures: disk queue, hashing, requests)

/// Asks for a snapshot of the session's counters and gauges; it is taken when the alert libtorrent
/// posts for it is popped (by `lt_session_pop_alerts`, which keeps it and hands Swift nothing).
void lt_session_post_stats(lt_shim_session *session);
/// One value of the last snapshot, by the name `session_stats_metrics()` gives it ("disk.queued_disk_jobs").
/// Returns 0, or -1 when libtorrent has no such metric or no snapshot was taken yet. `generation`
/// (may be NULL) counts the snapshots taken so far.
int lt_session_stat(lt_shim_session *session, const char *name, int64_t *value, uint64_t *generation);

// MARK: - Metadata (a parsed .torrent, or a torrent's metadata once known)

typedef struct lt_shim_info lt_shim_info;

typedef struct lt_shim_file {
    const char *path;                  // relative, '/' separated; owned by the info
    int64_t size;
    int64_t offset;
    int index;
    int pad_file;
} lt_shim_file;

/// Parses .torrent bytes. NULL on failure.
lt_shim_info *lt_info_parse(const uint8_t *data, size_t size, lt_shim_error *error);
/// A copy of a torrent's metadata; NULL (error set) if it has none yet.
lt_shim_info *lt_torrent_info(lt_shim_session *session, const char *info_hash, lt_shim_error *error);
void lt_info_free(lt_shim_info *info);
const char *lt_info_name(const lt_shim_info *info);
/// v1 (40 hex) and v2 (64 hex) info-hashes; an empty string where the torrent has none.
void lt_info_hashes(const lt_shim_info *info, char v1[41], char v2[65]);
int lt_info_file_count(const lt_shim_info *info);
int lt_info_file_at(const lt_shim_info *info, int index, lt_shim_file *file);
int64_t lt_info_total_size(const lt_shim_info *info);
int lt_info_piece_length(const lt_shim_info *info);
int lt_info_num_pieces(const lt_shim_info *info);
/// 1 when the info dictionary has `private = 1`.
int lt_info_is_private(const lt_shim_info *info);
/// The torrent as .torrent bytes (malloc'd; free with lt_shim_free).
int lt_info_torrent_file(const lt_shim_info *info, uint8_t **data, size_t *size, lt_shim_error *error);
/// A magnet link for it (malloc'd; free with lt_shim_free).
char *lt_info_magnet_uri(const lt_shim_info *info);

// MARK: - Creating torrents

enum { LT_SHIM_CREATE_HYBRID = 0, LT_SHIM_CREATE_V1_ONLY = 1, LT_SHIM_CREATE_V2_ONLY = 2, LT_SHIM_CREATE_PRIVATE = 8 };

/// Builds a .torrent of the file or directory at `path` (hashing it). `piece_size` 0 = automatic.
/// `kind`: one of HYBRID / V1_ONLY / V2_ONLY, with LT_SHIM_CREATE_PRIVATE or'd in for a private torrent.
int lt_create_torrent(const char *path, const char *const *trackers, int tracker_count, int piece_size, int kind,
                      uint8_t **data, size_t *size, lt_shim_error *error);

// MARK: - Alerts

enum {
    LT_SHIM_ALERT_METADATA_RECEIVED = 1,
    LT_SHIM_ALERT_STATE_CHANGED = 2,
    LT_SHIM_ALERT_FINISHED = 3,
    LT_SHIM_ALERT_TORRENT_ERROR = 4,
    LT_SHIM_ALERT_TRACKER_ERROR = 5,
    LT_SHIM_ALERT_FILE_ERROR = 6,
    LT_SHIM_ALERT_STORAGE_MOVED = 7,
    LT_SHIM_ALERT_RESUME_DATA = 8,
    LT_SHIM_ALERT_RESUME_DATA_FAILED = 9,
    LT_SHIM_ALERT_ADD_FAILED = 10,
    LT_SHIM_ALERT_REMOVED = 11,
    LT_SHIM_ALERT_FILE_COMPLETED = 12,
    LT_SHIM_ALERT_LISTEN_FAILED = 13,
    LT_SHIM_ALERT_LISTEN_SUCCEEDED = 14,
    LT_SHIM_ALERT_DHT_BOOTSTRAP = 15,
    LT_SHIM_ALERT_METADATA_FAILED = 16,
    LT_SHIM_ALERT_HASH_FAILED = 17,
    LT_SHIM_ALERT_PAUSED = 18,
    LT_SHIM_ALERT_RESUMED = 19,
    LT_SHIM_ALERT_CHECKED = 20,
    LT_SHIM_ALERT_TRACKER_REPLY = 21,
    LT_SHIM_ALERT_DELETED = 23,
    LT_SHIM_ALERT_DHT_ANNOUNCE = 24,   // another DHT node announced itself for info_hash to ours (url: its address, index: its port)
};

/// One alert as plain data. Pointers stay valid until the next lt_session_pop_alerts.
typedef struct lt_shim_alert {
    int type;                          // LT_SHIM_ALERT_*
    char info_hash[65];                // empty for session alerts
    int state;                         // STATE_CHANGED: new state, RESUME_DATA: pieces begun
    int index;                         // FILE_COMPLETED: file, HASH_FAILED: piece, LISTEN_*: port, RESUME_DATA: pieces had
    int error_code;
    const char *message;               // error or description
    const char *url;                   // tracker url, file name, storage path
    const uint8_t *data;               // RESUME_DATA: bytes
    size_t data_size;
} lt_shim_alert;

/// Pops every pending alert; `*alerts` stays valid until the next call. Returns the count.
int lt_session_pop_alerts(lt_shim_session *session, const lt_shim_alert **alerts);

#ifdef __cplusplus
}
#endif

#endif
