// libtorrent shim: the only C++ in the project. Every extern "C" function catches everything and
// reports failures through lt_shim_error, so no exception ever unwinds into Swift.
#include "CTorrentShim.h"

#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/create_torrent.hpp>
#include <libtorrent/extensions.hpp>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/load_torrent.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/peer_connection.hpp>
#include <libtorrent/peer_connection_handle.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/session_stats.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_peer.hpp>
#include <libtorrent/version.hpp>
#include <libtorrent/write_resume_data.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

// threaded_disk_io.cpp: posix_disk_io run on a thread of its own.
std::unique_ptr<lt::disk_interface> threaded_disk_io_constructor(lt::io_context &, lt::settings_interface const &, lt::counters &);
std::unique_ptr<lt::disk_interface> threaded_cached_disk_io_constructor(lt::io_context &, lt::settings_interface const &, lt::counters &);
// cached_disk_io.cpp: posix_disk_io with files kept open and pieces hashed as they are written.
std::unique_ptr<lt::disk_interface> cached_disk_io_constructor(lt::io_context &, lt::settings_interface const &, lt::counters &);

struct lt_shim_session {
    lt::session session;
    // Storage behind the last pop's alerts; cleared at the next pop.
    std::vector<lt_shim_alert> alerts;
    std::deque<std::string> strings;
    std::deque<std::vector<char>> buffers;
    // The last session_stats_alert's values, read from any thread through lt_session_stat.
    std::mutex stats_mutex;
    std::vector<std::int64_t> stats;
    std::uint64_t stats_generation = 0;

    explicit lt_shim_session(lt::session_params &&params) : session(std::move(params)) {}
};

struct lt_shim_info {
    std::shared_ptr<const lt::torrent_info> info;
    std::vector<std::string> paths;
    std::string name;
};

namespace {

void set_error(lt_shim_error *error, int code, std::string const &message) {
    if (!error) return;
    error->code = code == 0 ? -1 : code;
    std::snprintf(error->message, sizeof error->message, "%s", message.c_str());
}

void clear_error(lt_shim_error *error) {
    if (!error) return;
    error->code = 0;
    error->message[0] = '\0';
}

/// No torrent with the info-hash asked for: its own code, so callers need not read messages.
struct not_in_session : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// Runs `body`, turning any exception into an error code and message.
int guarded(lt_shim_error *error, std::function<int()> const &body) {
    clear_error(error);
    try {
        return body();
    } catch (not_in_session const &e) {
        set_error(error, LT_SHIM_ERROR_NOT_IN_SESSION, e.what());
        return -1;
    } catch (lt::system_error const &e) {
        set_error(error, e.code().value() ? e.code().value() : -1, e.code().message());
    } catch (std::exception const &e) {
        set_error(error, -1, e.what());
    } catch (...) {
        set_error(error, -1, "unknown C++ exception in the libtorrent shim");
    }
    return -1;
}

std::string hex(char const *bytes, std::size_t n) {
    static char const digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        auto b = static_cast<unsigned char>(bytes[i]);
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

/// The id this shim uses for a torrent: v1 hex when it has one, else v2 hex.
std::string best_hash(lt::info_hash_t const &ih) {
    if (ih.has_v1()) return hex(ih.v1.data(), ih.v1.size());
    if (ih.has_v2()) return hex(ih.v2.data(), ih.v2.size());
    return {};
}

bool parse_hex(char const *text, char *out, std::size_t n) {
    if (!text || std::strlen(text) != n * 2) return false;
    for (std::size_t i = 0; i < n; ++i) {
        int value = 0;
        for (int k = 0; k < 2; ++k) {
            char c = text[2 * i + k];
            int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
            if (d < 0) return false;
            value = value * 16 + d;
        }
        out[i] = static_cast<char>(value);
    }
    return true;
}

/// Finds a torrent by its id (v1, or v2 of which libtorrent keys the first 20 bytes).
lt::torrent_handle find(lt_shim_session *s, char const *info_hash) {
    lt::sha1_hash key;
    bool ok = false;
    if (info_hash && std::strlen(info_hash) == 40) {
        ok = parse_hex(info_hash, key.data(), 20);
    } else if (info_hash && std::strlen(info_hash) == 64) {
        char full[32];
        ok = parse_hex(info_hash, full, 32);
        std::memcpy(key.data(), full, 20);
    }
    if (!ok) throw std::invalid_argument(std::string("not an info-hash: '") + (info_hash ? info_hash : "") + "'");
    lt::torrent_handle h = s->session.find_torrent(key);
    if (!h.is_valid()) throw not_in_session(std::string("no torrent with info-hash ") + info_hash + " in the session");
    return h;
}

lt::tcp::endpoint parse_endpoint(std::string const &text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("peer '" + text + "' is not ip:port");
    std::string host = text.substr(0, colon);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = std::atoi(text.c_str() + colon + 1);
    if (port <= 0 || port > 65535) throw std::invalid_argument("peer '" + text + "' has no valid port");
    return {lt::make_address(host), static_cast<unsigned short>(port)};
}

lt_shim_info *make_info(std::shared_ptr<const lt::torrent_info> ti) {
    auto *info = new lt_shim_info;
    info->info = std::move(ti);
    info->name = info->info->name();
    auto const &fs = info->info->files();
    for (auto i : fs.file_range()) info->paths.push_back(fs.file_path(i));
    return info;
}

char *copy_string(std::string const &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

} // namespace

extern "C" const char *lt_shim_version(void) { return LIBTORRENT_VERSION; }
extern "C" const char *lt_shim_runtime_version(void) { return lt::version(); }
extern "C" void lt_shim_free(void *pointer) { std::free(pointer); }

// MARK: - Session

extern "C" lt_shim_session *lt_session_create(const lt_shim_settings *st, lt_shim_error *error) {
    lt_shim_session *result = nullptr;
    guarded(error, [&] {
        lt::settings_pack pack = st->tuned_for_throughput ? lt::high_performance_seed() : lt::settings_pack();
        pack.set_str(lt::settings_pack::user_agent, "downloader2/" LIBTORRENT_VERSION);
        pack.set_str(lt::settings_pack::listen_interfaces, st->listen_interfaces ? st->listen_interfaces : "0.0.0.0:6881");
        pack.set_str(lt::settings_pack::dht_bootstrap_nodes, st->dht_bootstrap_nodes ? st->dht_bootstrap_nodes : "");
        pack.set_bool(lt::settings_pack::enable_dht, st->enable_dht != 0);
        pack.set_bool(lt::settings_pack::enable_lsd, st->enable_lsd != 0);
        pack.set_bool(lt::settings_pack::enable_upnp, st->enable_upnp != 0);
        pack.set_bool(lt::settings_pack::enable_natpmp, st->enable_natpmp != 0);
        // libtorrent 2.0.8's uTP crawls between local peers (6 MB/s on loopback against 400+ over TCP):
        // unless asked, peers are dialled over TCP, and uTP is only accepted.
        pack.set_bool(lt::settings_pack::enable_outgoing_utp, st->enable_utp != 0 && st->dial_utp != 0);
        pack.set_bool(lt::settings_pack::enable_incoming_utp, st->enable_utp != 0);
        pack.set_int(lt::settings_pack::download_rate_limit, st->download_rate_limit);
        pack.set_int(lt::settings_pack::upload_rate_limit, st->upload_rate_limit);
        if (st->connections_limit > 0) pack.set_int(lt::settings_pack::connections_limit, st->connections_limit);
        pack.set_bool(lt::settings_pack::allow_multiple_connections_per_ip, st->allow_multiple_connections_per_ip != 0);
        if (st->min_reconnect_secs > 0) pack.set_int(lt::settings_pack::min_reconnect_time, st->min_reconnect_secs);
        if (st->hashing_threads > 0) pack.set_int(lt::settings_pack::hashing_threads, st->hashing_threads);
        if (st->aio_threads > 0) pack.set_int(lt::settings_pack::aio_threads, st->aio_threads);
        if (st->send_buffer_watermark_kib > 0) pack.set_int(lt::settings_pack::send_buffer_watermark, st->send_buffer_watermark_kib * 1024);
        if (st->max_queued_disk_kib > 0) pack.set_int(lt::settings_pack::max_queued_disk_bytes, st->max_queued_disk_kib * 1024);
        if (st->allow_local_trackers) pack.set_bool(lt::settings_pack::ssrf_mitigation, false);
        // libtorrent's own setting for it; posix_disk_io ignores it, cached_disk_io.cpp reads it.
        pack.set_int(lt::settings_pack::disk_io_write_mode,
                     st->os_cache ? lt::settings_pack::enable_os_cache : lt::settings_pack::disable_os_cache);
        // Queueing is ours (the Orchestrator's limits), not libtorrent's auto-management.
        pack.set_int(lt::settings_pack::active_downloads, -1);
        pack.set_int(lt::settings_pack::active_seeds, -1);
        pack.set_int(lt::settings_pack::active_limit, -1);
        pack.set_int(lt::settings_pack::alert_queue_size, 10000);
        // Quit quickly: a tracker that has not acknowledged "stopped" within a second never will.
        pack.set_int(lt::settings_pack::stop_tracker_timeout, 1);
        auto mask = lt::alert_category::status | lt::alert_category::error | lt::alert_category::storage
            | lt::alert_category::tracker | lt::alert_category::file_progress;
        if (st->enable_dht) mask |= lt::alert_category::dht;
        pack.set_int(lt::settings_pack::alert_mask, mask);

        lt::session_params params(std::move(pack));
        if (st->disk_thread) params.disk_io_constructor = st->keep_files_open ? threaded_cached_disk_io_constructor : threaded_disk_io_constructor;
        else params.disk_io_constructor = st->keep_files_open ? cached_disk_io_constructor : lt::posix_disk_io_constructor;
        result = new lt_shim_session(std::move(params));
        if (st->rate_limit_local_peers) {
            // Every address in the global peer class, so local peers obey the rate limits too.
            lt::ip_filter classes;
            auto global = 1u << static_cast<std::uint32_t>(lt::session::global_peer_class_id);
            classes.add_rule(lt::make_address("0.0.0.0"), lt::make_address("255.255.255.255"), global);
            classes.add_rule(lt::make_address("::"), lt::make_address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), global);
            result->session.set_peer_class_filter(classes);
        }
        return 0;
    });
    return result;
}

extern "C" void lt_session_destroy(lt_shim_session *session) {
    try {
        delete session;
    } catch (...) {
        // Destruction must not throw into Swift; libtorrent does not throw here in practice.
    }
}

extern "C" int lt_session_set_rate_limits(lt_shim_session *s, int down, int up, lt_shim_error *error) {
    return guarded(error, [&] {
        lt::settings_pack pack;
        pack.set_int(lt::settings_pack::download_rate_limit, down);
        pack.set_int(lt::settings_pack::upload_rate_limit, up);
        s->session.apply_settings(std::move(pack));
        return 0;
    });
}

extern "C" int lt_session_listen_port(lt_shim_session *s) {
    try {
        return s->session.listen_port();
    } catch (...) {
        return 0;
    }
}

extern "C" void lt_session_set_alert_notify(lt_shim_session *s, void (*notify)(void *), void *context) {
    try {
        s->session.set_alert_notify([notify, context] { notify(context); });
    } catch (...) {
    }
}

// MARK: - A guard around libtorrent 2.0.8's block-hash requests

// libtorrent 2.0.8 (Debian 12's) writes past the end of a vector when a peer rejects our request for
// the 16 KiB block hashes of a piece (hash_picker::hashes_rejected indexes its piece-layer table with
// a block index; fixed upstream in arvidn/libtorrent ca4e621c2, July 2026, in no release yet). Such a
// request is made when a piece of a v2-only torrent fails its hash, and a seeder that keeps only the
// piece layer, as most do, rejects it: the heap is corrupted and the process dies (a loaded test run
// did, twice in a row; docs/NOTES.md, "libtorrent: a v2-only piece that fails").
//
// A v2-only torrent added with its piece layers (a .torrent file or resume data) needs no hashes from
// its peers, so while it downloads its connections are told, once their handshake is read, that the
// peer does not speak the v2 hash messages: no block hashes are asked, a failed piece is downloaded
// again whole as in v1, and a peer that sends hash messages anyway is disconnected. Once the torrent
// is complete, new connections are left alone, so magnet downloaders can ask it for hashes. A v2-only
// magnet link still needs its piece layers from peers and is not guarded.
namespace {

struct v2_hash_guard final : lt::torrent_plugin {
    std::shared_ptr<std::atomic<bool>> complete = std::make_shared<std::atomic<bool>>(false);

    struct peer final : lt::peer_plugin {
        lt::peer_connection_handle handle;
        std::shared_ptr<std::atomic<bool>> complete;
        peer(lt::peer_connection_handle h, std::shared_ptr<std::atomic<bool>> c) : handle(std::move(h)), complete(std::move(c)) {}
        // Called on the network thread after libtorrent read the handshake (and set protocol_v2).
        bool on_handshake(lt::span<char const>) override {
            if (complete->load()) return true;
            if (auto connection = handle.native_handle())
                if (lt::torrent_peer *info = connection->peer_info_struct()) info->protocol_v2 = false;
            return true;
        }
    };

    std::shared_ptr<lt::peer_plugin> new_connection(lt::peer_connection_handle const &handle) override {
        return std::make_shared<peer>(handle, complete);
    }
    void on_state(lt::torrent_status::state_t state) override {
        complete->store(state == lt::torrent_status::seeding || state == lt::torrent_status::finished);
    }
};

bool is_v2_only(lt::add_torrent_params const &atp) {
    return atp.ti && atp.ti->info_hashes().has_v2() && !atp.ti->info_hashes().has_v1();
}

}  // namespace

// MARK: - Torrents

extern "C" int lt_session_add(lt_shim_session *s, const lt_shim_add_params *p, char info_hash[65], lt_shim_error *error) {
    return guarded(error, [&] {
        lt::add_torrent_params atp;
        lt::error_code ec;
        if (p->resume_data && p->resume_size > 0) {
            atp = lt::read_resume_data({reinterpret_cast<char const *>(p->resume_data), static_cast<long>(p->resume_size)}, ec);
            if (ec) throw lt::system_error(ec, "resume data");
        } else if (p->torrent_data && p->torrent_size > 0) {
            atp = lt::load_torrent_buffer({reinterpret_cast<char const *>(p->torrent_data), static_cast<long>(p->torrent_size)});
        } else if (p->magnet_uri) {
            atp = lt::parse_magnet_uri(p->magnet_uri, ec);
            if (ec) throw lt::system_error(ec, "magnet link");
        } else {
            throw std::invalid_argument("nothing to add: give a magnet link, .torrent bytes or resume data");
        }
        if (p->save_path && *p->save_path) atp.save_path = p->save_path;
        if (atp.save_path.empty()) throw std::invalid_argument("no save path");
        atp.flags &= ~(lt::torrent_flags::paused | lt::torrent_flags::auto_managed);
        if (p->paused) atp.flags |= lt::torrent_flags::paused;
        if (p->seed_mode) atp.flags |= lt::torrent_flags::seed_mode;
        if (p->hold_payload) atp.flags |= lt::torrent_flags::upload_mode;
        for (int i = 0; i < p->file_priority_count; ++i)
            atp.file_priorities.push_back(lt::download_priority_t(p->file_priorities[i] > 7 ? 7 : p->file_priorities[i]));
        for (int i = 0; i < p->peer_count; ++i) atp.peers.push_back(parse_endpoint(p->peers[i]));
        for (int i = 0; i < p->tracker_count; ++i) atp.trackers.push_back(p->trackers[i]);
        if (is_v2_only(atp))
            atp.extensions.push_back([](lt::torrent_handle const &, lt::client_data_t) { return std::make_shared<v2_hash_guard>(); });

        lt::torrent_handle h = s->session.add_torrent(std::move(atp), ec);
        if (ec) throw lt::system_error(ec);
        // Peers given for a torrent that was already in the session still get a connection attempt.
        for (int i = 0; i < p->peer_count; ++i) h.connect_peer(parse_endpoint(p->peers[i]));
        std::string id = best_hash(h.info_hashes());
        std::snprintf(info_hash, 65, "%s", id.c_str());
        return 0;
    });
}

extern "C" int lt_session_remove(lt_shim_session *s, const char *info_hash, int delete_files, lt_shim_error *error) {
    return guarded(error, [&] {
        s->session.remove_torrent(find(s, info_hash), delete_files ? lt::session::delete_files : lt::remove_flags_t{});
        return 0;
    });
}

extern "C" char *lt_session_torrents(lt_shim_session *s) {
    try {
        std::string out;
        for (auto const &h : s->session.get_torrents()) out += best_hash(h.info_hashes()) + "\n";
        return copy_string(out);
    } catch (...) {
        return copy_string("");
    }
}

extern "C" int lt_torrent_status(lt_shim_session *s, const char *info_hash, lt_shim_status *out, lt_shim_error *error) {
    return guarded(error, [&] {
        auto st = find(s, info_hash).status(lt::torrent_handle::query_name | lt::torrent_handle::query_save_path);
        std::memset(out, 0, sizeof *out);
        out->state = static_cast<int>(st.state);
        out->paused = (st.flags & lt::torrent_flags::paused) ? 1 : 0;
        out->has_metadata = st.has_metadata;
        out->is_finished = st.is_finished;
        out->is_seeding = st.is_seeding;
        out->progress = st.progress;
        out->total_wanted = st.total_wanted;
        out->total_wanted_done = st.total_wanted_done;
        out->total_done = st.total_done;
        out->total_size = st.total;
        out->all_time_download = st.all_time_download;
        out->all_time_upload = st.all_time_upload;
        out->download_payload_rate = st.download_payload_rate;
        out->upload_payload_rate = st.upload_payload_rate;
        out->num_peers = st.num_peers;
        out->num_seeds = st.num_seeds;
        out->list_peers = st.list_peers;
        out->list_seeds = st.list_seeds;
        out->seeding_duration_secs = lt::total_seconds(st.seeding_duration);
        out->active_duration_secs = lt::total_seconds(st.active_duration);
        out->need_save_resume = st.need_save_resume;
        if (st.has_metadata) {
            auto info = find(s, info_hash).torrent_file();
            out->is_private = info && info->priv() ? 1 : 0;
        }
        if (st.errc) std::snprintf(out->error, sizeof out->error, "%s", st.errc.message().c_str());
        std::snprintf(out->name, sizeof out->name, "%s", st.name.c_str());
        std::snprintf(out->save_path, sizeof out->save_path, "%s", st.save_path.c_str());
        return 0;
    });
}

// A plain pause: every peer is disconnected at once. libtorrent's graceful pause lets requests
// already sent drain first; with a slow peer that takes seconds, and a process stopped meanwhile lost
// whatever the peer had sent (5.5-9 pieces of 32 KiB from a 100 KiB/s seeder, PauseResumeTests).
// Cut at once, what was received is kept (whole blocks of an unfinished piece go into the resume
// data) and nothing more is in flight.
extern "C" int lt_torrent_pause(lt_shim_session *s, const char *h, lt_shim_error *e) {
    return guarded(e, [&] { find(s, h).pause(); return 0; });
}

extern "C" int lt_torrent_resume(lt_shim_session *s, const char *h, lt_shim_error *e) {
    return guarded(e, [&] { find(s, h).resume(); return 0; });
}

extern "C" int lt_torrent_force_recheck(lt_shim_session *s, const char *h, lt_shim_error *e) {
    return guarded(e, [&] { find(s, h).force_recheck(); return 0; });
}

extern "C" int lt_torrent_force_reannounce(lt_shim_session *s, const char *h, lt_shim_error *e) {
    return guarded(e, [&] { find(s, h).force_reannounce(); return 0; });
}

extern "C" int lt_torrent_save_resume_data(lt_shim_session *s, const char *h, int only_if_modified, lt_shim_error *e) {
    return guarded(e, [&] {
        auto flags = lt::torrent_handle::save_info_dict;
        if (only_if_modified) flags |= lt::torrent_handle::only_if_modified;
        find(s, h).save_resume_data(flags);
        return 0;
    });
}

extern "C" int lt_torrent_connect_peer(lt_shim_session *s, const char *h, const char *endpoint, lt_shim_error *e) {
    return guarded(e, [&] { find(s, h).connect_peer(parse_endpoint(endpoint)); return 0; });
}

extern "C" int lt_torrent_set_file_priorities(lt_shim_session *s, const char *h, const uint8_t *priorities, int count, lt_shim_error *e) {
    return guarded(e, [&] {
        std::vector<lt::download_priority_t> list;
        for (int i = 0; i < count; ++i) list.push_back(lt::download_priority_t(priorities[i] > 7 ? 7 : priorities[i]));
        find(s, h).prioritize_files(list);
        return 0;
    });
}

extern "C" int lt_torrent_hold_payload(lt_shim_session *s, const char *h, int hold, lt_shim_error *e) {
    return guarded(e, [&] {
        auto handle = find(s, h);
        if (hold) handle.set_flags(lt::torrent_flags::upload_mode);
        else handle.unset_flags(lt::torrent_flags::upload_mode);
        return 0;
    });
}

extern "C" int lt_torrent_file_progress(lt_shim_session *s, const char *h, int64_t *out, int count, lt_shim_error *e) {
    return guarded(e, [&] {
        std::vector<std::int64_t> progress;
        find(s, h).file_progress(progress, lt::torrent_handle::piece_granularity);
        for (int i = 0; i < count && i < static_cast<int>(progress.size()); ++i) out[i] = progress[i];
        return 0;
    });
}

extern "C" int lt_torrent_peer_transports(lt_shim_session *s, const char *h, int *tcp, int *utp, lt_shim_error *e) {
    return guarded(e, [&] {
        std::vector<lt::peer_info> peers;
        find(s, h).get_peer_info(peers);
        *tcp = 0;
        *utp = 0;
        for (auto const &peer : peers) {
            if (peer.flags & lt::peer_info::utp_socket) ++*utp;
            else ++*tcp;
        }
        return 0;
    });
}

extern "C" int lt_torrent_request_queues(lt_shim_session *s, const char *h, int *download_blocks, int *upload_blocks, int *peers, lt_shim_error *e) {
    return guarded(e, [&] {
        std::vector<lt::peer_info> list;
        find(s, h).get_peer_info(list);
        *download_blocks = 0;
        *upload_blocks = 0;
        *peers = static_cast<int>(list.size());
        for (auto const &peer : list) {
            *download_blocks += peer.download_queue_length;
            *upload_blocks += peer.upload_queue_length;
        }
        return 0;
    });
}

// MARK: - Session counters

extern "C" void lt_session_post_stats(lt_shim_session *s) {
    try {
        s->session.post_session_stats();
    } catch (...) {
    }
}

extern "C" int lt_session_stat(lt_shim_session *s, const char *name, int64_t *value, uint64_t *generation) {
    try {
        int const index = lt::find_metric_idx(name);
        std::lock_guard<std::mutex> lock(s->stats_mutex);
        if (generation) *generation = s->stats_generation;
        if (index < 0 || static_cast<std::size_t>(index) >= s->stats.size()) return -1;
        *value = s->stats[static_cast<std::size_t>(index)];
        return 0;
    } catch (...) {
        return -1;
    }
}

// MARK: - Metadata

extern "C" lt_shim_info *lt_info_parse(const uint8_t *data, size_t size, lt_shim_error *error) {
    lt_shim_info *result = nullptr;
    guarded(error, [&] {
        lt::error_code ec;
        auto ti = std::make_shared<lt::torrent_info>(lt::span<char const>(reinterpret_cast<char const *>(data), static_cast<long>(size)), ec, lt::from_span);
        if (ec) throw lt::system_error(ec);
        result = make_info(std::move(ti));
        return 0;
    });
    return result;
}

extern "C" lt_shim_info *lt_torrent_info(lt_shim_session *s, const char *h, lt_shim_error *error) {
    lt_shim_info *result = nullptr;
    guarded(error, [&] {
        auto ti = find(s, h).torrent_file();
        if (!ti) throw std::runtime_error("the torrent's metadata has not arrived yet");
        result = make_info(std::move(ti));
        return 0;
    });
    return result;
}

extern "C" void lt_info_free(lt_shim_info *info) { delete info; }
extern "C" const char *lt_info_name(const lt_shim_info *info) { return info->name.c_str(); }

extern "C" void lt_info_hashes(const lt_shim_info *info, char v1[41], char v2[65]) {
    auto const &ih = info->info->info_hashes();
    std::snprintf(v1, 41, "%s", ih.has_v1() ? hex(ih.v1.data(), 20).c_str() : "");
    std::snprintf(v2, 65, "%s", ih.has_v2() ? hex(ih.v2.data(), 32).c_str() : "");
}

extern "C" int lt_info_file_count(const lt_shim_info *info) { return static_cast<int>(info->paths.size()); }

extern "C" int lt_info_file_at(const lt_shim_info *info, int index, lt_shim_file *file) {
    if (index < 0 || index >= static_cast<int>(info->paths.size())) return -1;
    auto const &fs = info->info->files();
    lt::file_index_t i(index);
    file->path = info->paths[index].c_str();
    file->size = fs.file_size(i);
    file->offset = fs.file_offset(i);
    file->index = index;
    file->pad_file = fs.pad_file_at(i) ? 1 : 0;
    return 0;
}

extern "C" int64_t lt_info_total_size(const lt_shim_info *info) { return info->info->total_size(); }
extern "C" int lt_info_piece_length(const lt_shim_info *info) { return info->info->piece_length(); }
extern "C" int lt_info_num_pieces(const lt_shim_info *info) { return info->info->num_pieces(); }
extern "C" int lt_info_is_private(const lt_shim_info *info) { return info->info->priv() ? 1 : 0; }

extern "C" int lt_info_torrent_file(const lt_shim_info *info, uint8_t **data, size_t *size, lt_shim_error *error) {
    return guarded(error, [&] {
        lt::add_torrent_params atp;
        atp.ti = std::make_shared<lt::torrent_info>(*info->info);
        auto buffer = lt::write_torrent_file_buf(atp, lt::write_flags::allow_missing_piece_layer);
        *data = static_cast<uint8_t *>(std::malloc(buffer.size()));
        if (!*data) throw std::bad_alloc();
        std::memcpy(*data, buffer.data(), buffer.size());
        *size = buffer.size();
        return 0;
    });
}

extern "C" char *lt_info_magnet_uri(const lt_shim_info *info) {
    try {
        return copy_string(lt::make_magnet_uri(*info->info));
    } catch (...) {
        return copy_string("");
    }
}

// MARK: - Creating torrents

extern "C" int lt_create_torrent(const char *path, const char *const *trackers, int tracker_count, int piece_size, int kind,
                                 uint8_t **data, size_t *size, lt_shim_error *error) {
    return guarded(error, [&] {
        std::string full(path);
        while (full.size() > 1 && full.back() == '/') full.pop_back();
        lt::file_storage fs;
        // Hidden files (.DS_Store, partial downloads) never belong in a release.
        lt::add_files(fs, full, [](std::string const &p) {
            auto slash = p.find_last_of('/');
            return (slash == std::string::npos ? p : p.substr(slash + 1)).rfind('.', 0) != 0;
        });
        if (fs.num_files() == 0) throw std::invalid_argument("no files to put in a torrent under '" + full + "'");
        lt::create_flags_t flags{};
        int version = kind & 3;
        if (version == LT_SHIM_CREATE_V1_ONLY) flags = lt::create_torrent::v1_only;
        if (version == LT_SHIM_CREATE_V2_ONLY) flags = lt::create_torrent::v2_only;
        lt::create_torrent ct(fs, piece_size, flags);
        if (kind & LT_SHIM_CREATE_PRIVATE) ct.set_priv(true);
        for (int i = 0; i < tracker_count; ++i) ct.add_tracker(trackers[i], i);
        ct.set_creator("downloader2");
        auto slash = full.find_last_of('/');
        std::string parent = slash == std::string::npos ? "." : (slash == 0 ? "/" : full.substr(0, slash));
        lt::error_code ec;
        lt::set_piece_hashes(ct, parent, ec);
        if (ec) throw lt::system_error(ec, "hashing " + full);
        std::vector<char> buffer;
        lt::bencode(std::back_inserter(buffer), ct.generate());
        *data = static_cast<uint8_t *>(std::malloc(buffer.size()));
        if (!*data) throw std::bad_alloc();
        std::memcpy(*data, buffer.data(), buffer.size());
        *size = buffer.size();
        return 0;
    });
}

// MARK: - Alerts

namespace {

lt_shim_alert blank(int type, std::string const &hash = {}) {
    lt_shim_alert a{};
    a.type = type;
    std::snprintf(a.info_hash, sizeof a.info_hash, "%s", hash.c_str());
    return a;
}

char const *keep(lt_shim_session *s, std::string text) {
    s->strings.push_back(std::move(text));
    return s->strings.back().c_str();
}

std::string torrent_id(lt::torrent_alert const *ta) { return best_hash(ta->handle.info_hashes()); }

void translate(lt_shim_session *s, lt::alert *alert) {
    auto push = [&](lt_shim_alert a) { s->alerts.push_back(a); };
    if (auto *a = lt::alert_cast<lt::session_stats_alert>(alert)) {
        // Kept here for lt_session_stat; Swift sees no alert for it.
        auto const values = a->counters();
        std::lock_guard<std::mutex> lock(s->stats_mutex);
        s->stats.assign(values.begin(), values.end());
        ++s->stats_generation;
    } else if (auto *a = lt::alert_cast<lt::metadata_received_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_METADATA_RECEIVED, torrent_id(a)));
    } else if (auto *a = lt::alert_cast<lt::state_changed_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_STATE_CHANGED, torrent_id(a));
        out.state = static_cast<int>(a->state);
        push(out);
    } else if (auto *a = lt::alert_cast<lt::torrent_finished_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_FINISHED, torrent_id(a)));
    } else if (auto *a = lt::alert_cast<lt::torrent_error_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_TORRENT_ERROR, torrent_id(a));
        out.error_code = a->error.value();
        out.message = keep(s, a->error.message());
        out.url = keep(s, a->filename());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::tracker_error_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_TRACKER_ERROR, torrent_id(a));
        out.error_code = a->error.value();
        std::string reason = a->failure_reason();
        out.message = keep(s, reason.empty() ? a->error.message() : reason);
        out.url = keep(s, a->tracker_url());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::tracker_reply_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_TRACKER_REPLY, torrent_id(a));
        out.index = a->num_peers;
        out.url = keep(s, a->tracker_url());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::file_error_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_FILE_ERROR, torrent_id(a));
        out.error_code = a->error.value();
        out.message = keep(s, a->error.message() + " (" + lt::operation_name(a->op) + ")");
        out.url = keep(s, a->filename());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::storage_moved_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_STORAGE_MOVED, torrent_id(a));
        out.url = keep(s, a->storage_path());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::save_resume_data_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_RESUME_DATA, torrent_id(a));
        // What the data holds, for the log: pieces verified, and pieces begun but not finished.
        out.index = static_cast<int>(a->params.have_pieces.count());
        out.state = static_cast<int>(a->params.unfinished_pieces.size());
        s->buffers.push_back(lt::write_resume_data_buf(a->params));
        out.data = reinterpret_cast<uint8_t const *>(s->buffers.back().data());
        out.data_size = s->buffers.back().size();
        push(out);
    } else if (auto *a = lt::alert_cast<lt::save_resume_data_failed_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_RESUME_DATA_FAILED, torrent_id(a));
        out.error_code = a->error.value();
        out.message = keep(s, a->error.message());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::add_torrent_alert>(alert)) {
        if (a->error) {
            auto out = blank(LT_SHIM_ALERT_ADD_FAILED, best_hash(a->params.info_hashes));
            out.error_code = a->error.value();
            out.message = keep(s, a->error.message());
            push(out);
        }
    } else if (auto *a = lt::alert_cast<lt::torrent_removed_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_REMOVED, best_hash(a->info_hashes)));
    } else if (auto *a = lt::alert_cast<lt::torrent_deleted_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_DELETED, best_hash(a->info_hashes)));
    } else if (auto *a = lt::alert_cast<lt::file_completed_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_FILE_COMPLETED, torrent_id(a));
        out.index = static_cast<int>(a->index);
        push(out);
    } else if (auto *a = lt::alert_cast<lt::listen_failed_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_LISTEN_FAILED);
        out.index = a->port;
        out.error_code = a->error.value();
        out.message = keep(s, a->error.message());
        out.url = keep(s, a->address.to_string());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::listen_succeeded_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_LISTEN_SUCCEEDED);
        out.index = a->port;
        out.url = keep(s, a->address.to_string());
        push(out);
    } else if (lt::alert_cast<lt::dht_bootstrap_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_DHT_BOOTSTRAP));
    } else if (auto *a = lt::alert_cast<lt::dht_announce_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_DHT_ANNOUNCE, hex(a->info_hash.data(), a->info_hash.size()));
        out.index = a->port;
        out.url = keep(s, a->ip.to_string());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::metadata_failed_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_METADATA_FAILED, torrent_id(a));
        out.error_code = a->error.value();
        out.message = keep(s, a->error.message());
        push(out);
    } else if (auto *a = lt::alert_cast<lt::hash_failed_alert>(alert)) {
        auto out = blank(LT_SHIM_ALERT_HASH_FAILED, torrent_id(a));
        out.index = static_cast<int>(a->piece_index);
        push(out);
    } else if (auto *a = lt::alert_cast<lt::torrent_paused_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_PAUSED, torrent_id(a)));
    } else if (auto *a = lt::alert_cast<lt::torrent_resumed_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_RESUMED, torrent_id(a)));
    } else if (auto *a = lt::alert_cast<lt::torrent_checked_alert>(alert)) {
        push(blank(LT_SHIM_ALERT_CHECKED, torrent_id(a)));
    }
}

} // namespace

extern "C" int lt_session_pop_alerts(lt_shim_session *s, const lt_shim_alert **alerts) {
    try {
        s->alerts.clear();
        s->strings.clear();
        s->buffers.clear();
        std::vector<lt::alert *> popped;
        s->session.pop_alerts(&popped);
        for (auto *alert : popped) translate(s, alert);
        *alerts = s->alerts.data();
        return static_cast<int>(s->alerts.size());
    } catch (...) {
        *alerts = nullptr;
        return 0;
    }
}
