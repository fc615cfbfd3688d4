// libtorrent 2.0.8's POSIX disk I/O with open files kept open and pieces hashed as they are written.
//
// posix_disk_io opens, seeks, writes or reads, and closes the file for every 16 KiB block
// (posix_storage::open_file with fopen/fclose), and hashes a finished piece by reading every block
// of it back from disk, again one fopen per block. All of that runs on libtorrent's network thread,
// which at loopback speed is the bottleneck (docs/NOTES.md, "libtorrent: disk I/O and memory").
//
// This backend keeps posix_disk_io's bounded memory and its semantics, and takes the common path
// itself:
//   - writes and reads of blocks that lie in ordinary files (not a pad file, not a file the
//     part file holds because it is not wanted) use pwrite/pread on a descriptor kept open per file;
//   - a v1 piece whose blocks were all written in order in this session is hashed from the
//     written blocks (SHA-1 fed as each block is written): no read-back; the SHA-256 of each 16 KiB
//     block of a v2 or hybrid torrent is taken from the written bytes too, in any order, so a v2
//     piece none of whose blocks was lost is hashed without a read-back as well; any other piece
//     is read back through the open descriptors;
//   - with the OS cache off (`disk_io_write_mode = disable_os_cache`), a piece whose blocks arrive in
//     order is held in memory and written whole when its last block arrives, with O_DIRECT where
//     the file offset and length allow (the rest through the page cache), by a writer thread of
//     its own (a hybrid piece is hashed, SHA-1 and SHA-256, by a hashing thread from the held bytes
//     meanwhile, so the network thread pays one hash per byte as for v1 or v2): the last block's
//     completion and the piece's hash job are answered once the piece is on disk, with the error
//     if the write failed. No page-cache pages are filled by downloads (docs/NOTES.md, "libtorrent:
//     writing past the page cache"). Anything that reads or closes the files waits for the writer;
//   - everything else (part files, renamed files, single v2 blocks, checking, moving, deleting) goes to
//     posix_disk_io as before, after the torrent's open descriptors are closed wherever
//     posix_disk_io may touch the files.
// Every job still runs inside the call that issues it, on the network thread, in issue order, and
// the completion is posted to the network thread, as posix_disk_io does; a block that fails here
// (an error, a short read) is handed to posix_disk_io, which reports the error as it always has.
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/aux_/vector.hpp>
#include <libtorrent/disk_buffer_holder.hpp>
#include <libtorrent/disk_interface.hpp>
#include <libtorrent/disk_observer.hpp>
#include <libtorrent/file_storage.hpp>
#include <libtorrent/hasher.hpp>
#include <libtorrent/io_context.hpp>
#include <libtorrent/peer_request.hpp>
#include <libtorrent/performance_counters.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/storage_defs.hpp>
#include <libtorrent/time.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

using namespace lt;

// At most this many descriptors per torrent, and across all torrents, stay open; past either, the
// torrent's (or every torrent's) are closed. posix_disk_io itself keeps none open between jobs.
constexpr std::size_t max_open_files = 64;
constexpr std::size_t max_open_files_total = 256;
// O_DIRECT needs buffers, offsets and lengths aligned to the device's block (4096 covers them all here).
constexpr std::int64_t direct_alignment = 4096;
// At most this much memory holds pieces waiting for their last block or for the writer, across torrents (32 MiB:
// as fast as 64 in bench-swarm, 20-40 MiB less peak RSS, docs/NOTES.md); a piece that
// would pass it is written block by block through the page cache instead.
constexpr std::size_t max_held_bytes = 32u << 20;
// Buffers kept for the next pieces (fresh memory costs a page fault per page on first touch).
constexpr std::size_t max_spare_buffers = 16;

// The pad after a file's last byte in a v2 or hybrid piece: `count` zero bytes into a piece's SHA-1,
// as posix_disk_io reads them.
void add_zeroes(hasher &sha1, int count) {
    static char const zeroes[default_block_size] = {};
    for (; count > 0; count -= default_block_size) sha1.update(zeroes, std::min(count, default_block_size));
}

struct cached_disk_io final : disk_interface, buffer_allocator_interface {
    // `past_cache`: whether `disk_io_write_mode = disable_os_cache` may be honoured. Its writer
    // thread's completions run on the network thread, so every other call must come from there too:
    // not so under threaded_disk_io, which then gets the page cache.
    cached_disk_io(io_context &ios, settings_interface const &settings, counters &counters, bool past_cache)
        : m_ios(ios), m_settings(settings), m_counters(counters), m_past_cache(past_cache),
          m_inner(posix_disk_io_constructor(ios, settings, counters)) {}

    ~cached_disk_io() override {
        for (auto &entry : m_torrents) forget_all(entry.second, true);
        close_all();
        if (m_writer) {
            m_writer->stop();
            std::lock_guard<std::mutex> lock(m_writer->owner_mutex);
            m_writer->owner = nullptr;
        }
        m_done.clear();  // their buffers go back to the spares, freed next
        for (auto const &spare : m_spare) std::free(spare.first);
    }

    // Blocks handed to async_read's callers are malloc'ed here and freed through this.
    void free_disk_buffer(char *buffer) override { std::free(buffer); }

    storage_holder new_torrent(storage_params const &params, std::shared_ptr<void> const &owner) override {
        storage_holder held = m_inner->new_torrent(params, owner);
        storage_index_t const index = held;
        torrent t;
        t.inner = std::move(held);
        // Renamed files (mapped_files) keep to posix_disk_io, which knows their names.
        t.cached = params.mapped_files == nullptr;
        t.files = &params.files;
        t.save_path = params.path;
        t.priorities = params.priorities;
        t.direct = m_past_cache && m_settings.get_int(settings_pack::disk_io_write_mode) == settings_pack::disable_os_cache;
        t.v2 = params.files.v2();
        for (file_index_t const index : params.files.file_range()) {
            if (params.files.pad_file_at(index)) t.pads = true;
        }
        // posix_disk_io hands out an index again only after remove_torrent, which erased it here.
        m_torrents.emplace(index, std::move(t));
        return storage_holder(index, *this);
    }

    void remove_torrent(storage_index_t index) override {
        auto found = m_torrents.find(index);
        if (found == m_torrents.end()) return;
        forget_all(found->second, true);
        close_files(found->second);
        m_torrents.erase(found);  // its storage_holder removes it from posix_disk_io
    }

    bool async_write(storage_index_t storage, peer_request const &r, char const *buf, std::shared_ptr<disk_observer> observer,
                     std::function<void(storage_error const &)> handler, disk_job_flags_t flags) override {
        torrent *t = find(storage);
        // The written bytes go to the piece's SHA-1 whatever stores them, as long as they come in
        // order, and to their block's SHA-256 in a v2 or hybrid torrent. A hybrid piece held in
        // memory is hashed (SHA-1 and SHA-256) by a hashing thread from the held bytes while the
        // writer writes them: the network thread, which a v1 or v2 piece costs one hash of each
        // byte, would otherwise pay two.
        bool deferred = false;
        if (t) {
            sequence(*t, r);
            deferred = hashes_deferred(*t, r.piece);
            if (!deferred) {
                // Blocks of a torrent left to posix_disk_io are read back to be hashed anyway.
                if (t->v2 && t->cached) feed_block_hashes(*t, r.piece, buf, r.start, r.length);
                feed_sha1_now(*t, r, buf);
            }
        }
        if (t && t->cached) {
            auto const start = clock_type::now();
            hold const held = hold_block(*t, storage, r, buf, handler);
            if (deferred && held == hold::no) {  // not kept: its piece is no longer held
                if (t->v2) feed_block_hashes(*t, r.piece, buf, r.start, r.length);
                feed_sha1_now(*t, r, buf);
            }
            if (held == hold::queued) {
                count_write(start);
                return false;
            }
            storage_error failure;
            if (held == hold::kept || write_block(*t, r, buf, &failure)) {
                count_write(start);
                boost::asio::post(m_ios, [h = std::move(handler)] { h(storage_error()); });
                return false;
            }
            if (failure.ec) {
                forget(*t, r.piece, false);
                t->block_hashes.erase(static_cast<int>(r.piece));
                t->write_failed[static_cast<int>(r.piece)] = failure;
                boost::asio::post(m_ios, [h = std::move(handler), failure] { h(failure); });
                return false;
            }
        }
        if (t) {
            forget(*t, r.piece, true);
            forget_block_hash(*t, r);  // posix_disk_io writes it: what reaches the file is read back
        }
        return m_inner->async_write(storage, r, buf, std::move(observer), std::move(handler), flags);
    }

    void async_read(storage_index_t storage, peer_request const &r,
                    std::function<void(disk_buffer_holder, storage_error const &)> handler, disk_job_flags_t flags) override {
        torrent *t = find(storage);
        // A block still held in memory is written first: reads always come from the files.
        if (t) {
            write_held(*t, r.piece);
            if (t->writing.count(static_cast<int>(r.piece))) drain();
        }
        if (t && t->cached) {
            auto const start = clock_type::now();
            char *buffer = static_cast<char *>(std::malloc(default_block_size));
            if (buffer && read_block(*t, r.piece, r.start, buffer, r.length)) {
                std::int64_t const micros = total_microseconds(clock_type::now() - start);
                m_counters.inc_stats_counter(counters::num_blocks_read);
                m_counters.inc_stats_counter(counters::num_read_ops);
                m_counters.inc_stats_counter(counters::disk_read_time, micros);
                m_counters.inc_stats_counter(counters::disk_job_time, micros);
                boost::asio::post(m_ios, [h = std::move(handler), holder = disk_buffer_holder(*this, buffer, default_block_size)]() mutable {
                    h(std::move(holder), storage_error());
                });
                return;
            }
            std::free(buffer);
        }
        m_inner->async_read(storage, r, std::move(handler), flags);
    }

    void async_hash(storage_index_t storage, piece_index_t piece, span<sha256_hash> v2, disk_job_flags_t flags,
                    std::function<void(piece_index_t, sha1_hash const &, storage_error const &)> handler) override {
        torrent *t = find(storage);
        if (t) {
            int const key = static_cast<int>(piece);
            // Bytes still held (a piece not queued whole) are hashed as they are written out.
            auto held = t->hashes.find(key);
            if (held != t->hashes.end() && held->second.buffer.data) write_held(*t, piece);
            // A piece whose write the disk refused: the hash job fails with the same error (read
            // back, the short file would only say "file too short").
            auto failed = t->write_failed.find(static_cast<int>(piece));
            if (failed != t->write_failed.end()) {
                storage_error const error = failed->second;
                t->write_failed.erase(failed);
                forget(*t, piece, false);
                t->block_hashes.erase(static_cast<int>(piece));
                boost::asio::post(m_ios, [h = std::move(handler), piece, error] { h(piece, sha1_hash(), error); });
                return;
            }
            bool const want_v1 = bool(flags & disk_interface::v1_hash);
            // A v2-only torrent: libtorrent asks no piece's SHA-1, so none is computed from here on.
            if (!want_v1 && !v2.empty()) t->v1 = false;
            auto found = t->hashes.find(key);
            // The writer has the piece and hashes it: the answer waits for it, and a failed write
            // fails the hash job too (libtorrent asks as soon as the last block's write is issued).
            // The block hashes go into `v2` then: libtorrent keeps that vector alive in `handler`.
            auto blocks = t->block_hashes.find(key);
            bool all_blocks = blocks != t->block_hashes.end() && blocks->second.missing == 0 && blocks->second.hashes.size() == v2.size();
            bool const job_blocks = found != t->hashes.end() && found->second.job_blocks == static_cast<int>(v2.size());
            if (found != t->hashes.end() && found->second.job != 0 && t->writing.count(key) &&
                (!want_v1 || found->second.job_v1) && (v2.empty() || all_blocks || job_blocks)) {
                bool const given = !v2.empty() && all_blocks;
                if (given) std::copy(blocks->second.hashes.begin(), blocks->second.hashes.end(), v2.begin());
                // libtorrent never has two hash jobs of one piece at once; were it to, the first is answered here.
                auto earlier = t->hash_waiting.find(key);
                if (earlier != t->hash_waiting.end()) {
                    storage_error busy;
                    busy.ec = boost::system::error_code(EBUSY, boost::system::generic_category());
                    busy.operation = operation_t::file_read;
                    boost::asio::post(m_ios, [h = std::move(earlier->second.handler), piece, busy] { h(piece, sha1_hash(), busy); });
                    t->hash_waiting.erase(earlier);
                }
                t->hash_waiting[key] = hash_wait{std::move(handler), given ? span<sha256_hash>() : v2, want_v1, found->second.job};
                t->hashes.erase(found);
                t->block_hashes.erase(key);
                return;
            }
            if (t->writing.count(key)) {
                drain();  // the writer's results land in the piece's hashes (reap may change both maps)
                found = t->hashes.find(key);
                blocks = t->block_hashes.find(key);
                all_blocks = blocks != t->block_hashes.end() && blocks->second.missing == 0 && blocks->second.hashes.size() == v2.size();
            }
            bool const whole = found != t->hashes.end() && found->second.job == 0 && found->second.hashed >= data_end(*t, piece);
            if ((!want_v1 || (whole && t->v1)) && (v2.empty() || all_blocks) && (want_v1 || !v2.empty())) {
                auto const start = clock_type::now();
                sha1_hash const hash = want_v1 ? piece_sha1(*t, piece, found->second) : sha1_hash();
                if (!v2.empty()) std::copy(blocks->second.hashes.begin(), blocks->second.hashes.end(), v2.begin());
                t->hashes.erase(key);
                t->block_hashes.erase(key);
                std::int64_t const micros = total_microseconds(clock_type::now() - start);
                m_counters.inc_stats_counter(counters::disk_hash_time, micros);
                m_counters.inc_stats_counter(counters::disk_job_time, micros);
                boost::asio::post(m_ios, [h = std::move(handler), piece, hash] { h(piece, hash, storage_error()); });
                return;
            }
            if (found != t->hashes.end()) forget(*t, piece, true);
            t->block_hashes.erase(static_cast<int>(piece));
            if (t->writing.count(static_cast<int>(piece))) drain();
            // Not seen whole (checking, seed mode, a resumed piece, a lost block): read back through
            // the open files. The v1 piece runs into the pad after a file; the v2 blocks stop at it.
            if (t->cached && (want_v1 || !v2.empty())) {
                auto const start = clock_type::now();
                hasher sha1;
                int const size2 = v2.empty() ? 0 : t->files->piece_size2(piece);
                int const size = want_v1 ? t->files->piece_size(piece) : size2;
                int blocks_read = 0;
                bool read = true;
                for (int offset = 0; offset < size && read; offset += default_block_size, ++blocks_read) {
                    int const length = std::min(default_block_size, size - offset);
                    read = read_block(*t, piece, offset, m_scratch, length);
                    if (!read) break;
                    if (want_v1) sha1.update(m_scratch, length);
                    if (offset < size2) v2[offset / default_block_size] = hasher256(m_scratch, std::min(length, size2 - offset)).final();
                }
                if (read) {
                    sha1_hash const hash = want_v1 ? sha1.final() : sha1_hash();
                    std::int64_t const micros = total_microseconds(clock_type::now() - start);
                    m_counters.inc_stats_counter(counters::num_read_back, blocks_read);
                    m_counters.inc_stats_counter(counters::num_blocks_read, blocks_read);
                    m_counters.inc_stats_counter(counters::num_read_ops, blocks_read);
                    m_counters.inc_stats_counter(counters::disk_hash_time, micros);
                    m_counters.inc_stats_counter(counters::disk_job_time, micros);
                    boost::asio::post(m_ios, [h = std::move(handler), piece, hash] { h(piece, hash, storage_error()); });
                    return;
                }
            }
        }
        m_inner->async_hash(storage, piece, v2, flags, std::move(handler));
    }

    void async_hash2(storage_index_t storage, piece_index_t piece, int offset, disk_job_flags_t flags,
                     std::function<void(piece_index_t, sha256_hash const &, storage_error const &)> handler) override {
        // posix_disk_io reads the block from the file: whatever of the piece is held or being written goes there first.
        if (torrent *t = find(storage)) {
            write_held(*t, piece);
            if (t->writing.count(static_cast<int>(piece))) drain();
        }
        m_inner->async_hash2(storage, piece, offset, flags, std::move(handler));
    }

    // From here on posix_disk_io may move, create, truncate, rename or delete the files: the
    // torrent's descriptors are closed first, and after a move or a rename it stays with posix_disk_io.
    void async_move_storage(storage_index_t storage, std::string path, move_flags_t flags,
                            std::function<void(status_t, std::string const &, storage_error const &)> handler) override {
        if (torrent *t = find(storage)) {
            forget_all(*t, true);
            close_files(*t);
            t->cached = false;
        }
        m_inner->async_move_storage(storage, std::move(path), flags, std::move(handler));
    }

    void async_release_files(storage_index_t storage, std::function<void()> handler) override {
        if (torrent *t = find(storage)) {
            write_all_held(*t);
            t->write_failed.clear();  // a torrent stopped by the error starts over with its next try
            close_files(*t);
        }
        m_inner->async_release_files(storage, std::move(handler));
    }

    void async_check_files(storage_index_t storage, add_torrent_params const *resume_data, aux::vector<std::string, file_index_t> links,
                           std::function<void(status_t, storage_error const &)> handler) override {
        if (torrent *t = find(storage)) {
            forget_all(*t, true);
            close_files(*t);
            // Hard links to other torrents' files (links) are set up by posix_disk_io under these names.
            for (auto const &link : links) {
                if (!link.empty()) t->cached = false;
            }
        }
        m_inner->async_check_files(storage, resume_data, std::move(links), std::move(handler));
    }

    void async_stop_torrent(storage_index_t storage, std::function<void()> handler) override {
        if (torrent *t = find(storage)) {
            forget_all(*t, true);
            close_files(*t);
        }
        m_inner->async_stop_torrent(storage, std::move(handler));
    }

    void async_rename_file(storage_index_t storage, file_index_t index, std::string name,
                           std::function<void(std::string const &, file_index_t, storage_error const &)> handler) override {
        if (torrent *t = find(storage)) {
            forget_all(*t, true);
            close_files(*t);
            t->cached = false;
        }
        m_inner->async_rename_file(storage, index, std::move(name), std::move(handler));
    }

    void async_delete_files(storage_index_t storage, remove_flags_t options, std::function<void(storage_error const &)> handler) override {
        if (torrent *t = find(storage)) {
            forget_all(*t, false);
            close_files(*t);
        }
        m_inner->async_delete_files(storage, options, std::move(handler));
    }

    void async_set_file_priority(storage_index_t storage, aux::vector<download_priority_t, file_index_t> priorities,
                                 std::function<void(storage_error const &, aux::vector<download_priority_t, file_index_t>)> handler) override {
        // posix_disk_io moves data between the part file and the files when a file becomes wanted.
        if (torrent *t = find(storage)) {
            write_all_held(*t);
            close_files(*t);
            t->priorities = priorities;
            // If posix_disk_io fails half-way, some files keep their old priority there (and their
            // data in the part file): from then on, this torrent's blocks all go through it.
            auto failed = t->priority_failed;
            handler = [failed, h = std::move(handler)](storage_error const &error, aux::vector<download_priority_t, file_index_t> p) {
                if (error) failed->store(true);
                h(error, std::move(p));
            };
        }
        m_inner->async_set_file_priority(storage, std::move(priorities), std::move(handler));
    }

    void async_clear_piece(storage_index_t storage, piece_index_t index, std::function<void(piece_index_t)> handler) override {
        if (torrent *t = find(storage)) {
            forget(*t, index, false);
            t->block_hashes.erase(static_cast<int>(index));
            t->write_failed.erase(static_cast<int>(index));
        }
        m_inner->async_clear_piece(storage, index, std::move(handler));
    }

    void update_stats_counters(counters &c) const override { m_inner->update_stats_counters(c); }
    std::vector<open_file_state> get_status(storage_index_t storage) const override { return m_inner->get_status(storage); }

    void abort(bool wait) override {
        for (auto &entry : m_torrents) forget_all(entry.second, true);
        close_all();  // waits for the writer
        m_inner->abort(wait);
    }

    void submit_jobs() override { m_inner->submit_jobs(); }
    void settings_updated() override { m_inner->settings_updated(); }

private:
    // Memory for a piece held until its last block arrives (aligned for O_DIRECT), given back to
    // the backend's spares when the piece is written or forgotten.
    struct held_buffer {
        cached_disk_io *owner = nullptr;
        char *data = nullptr;
        std::size_t capacity = 0;
        held_buffer() = default;
        held_buffer(cached_disk_io *o, char *d, std::size_t c) : owner(o), data(d), capacity(c) {}
        held_buffer(held_buffer &&other) noexcept { swap(other); }
        held_buffer &operator=(held_buffer &&other) noexcept {
            release();
            swap(other);
            return *this;
        }
        held_buffer(held_buffer const &) = delete;
        held_buffer &operator=(held_buffer const &) = delete;
        ~held_buffer() { release(); }
        void release() {
            if (data) owner->give_back(data, capacity);
            data = nullptr;
            capacity = 0;
        }
        void swap(held_buffer &other) noexcept {
            std::swap(owner, other.owner);
            std::swap(data, other.data);
            std::swap(capacity, other.capacity);
        }
    };

    // A piece's SHA-1, fed with its blocks while they arrive in order from its first byte, and with
    // the OS cache off, the blocks themselves (`held` bytes from the piece's start) until it is whole.
    //
    // In a hybrid torrent the bytes kept in the buffer are hashed when the buffer is written:
    // by the writer thread when the piece is queued whole (its `job`; the result comes back with
    // the write), or here when what was held is written early. `hashed` counts the bytes fed so far.
    struct piece_hash {
        hasher sha1;
        int next = 0;
        int hashed = 0;
        held_buffer buffer;
        int skew = 0;  // where in the buffer the piece starts (see take_piece_buffer)
        int held = 0;
        bool deferred = false;  // its SHA-1 is taken from the buffer (hybrid): `hashed` stays behind
        std::uint64_t job = 0;  // the writer job that has the piece, 0 when none
        bool job_v1 = false;    // that job gives the piece's SHA-1
        int job_blocks = 0;     // and the SHA-256 of that many blocks
        bool final = false;     // `result` is the piece's SHA-1
        sha1_hash result;
    };

    // The SHA-256 of each 16 KiB block of a piece's v2 part (it stops where the piece's file ends),
    // taken from the bytes written; `missing` counts the blocks not seen yet.
    struct piece_block_hashes {
        std::vector<sha256_hash> hashes;
        std::vector<bool> seen;
        int missing = 0;
    };

    struct hash_wait {
        std::function<void(piece_index_t, sha1_hash const &, storage_error const &)> handler;
        span<sha256_hash> v2;  // block hashes the writer's job gives (libtorrent's, alive as long as `handler`)
        bool v1 = false;  // its SHA-1 is asked
        std::uint64_t job = 0;
    };

    struct torrent {
        storage_holder inner;
        bool cached = true;
        bool pads = false;  // the torrent has pad files
        bool direct = false;  // whole pieces are written past the page cache (O_DIRECT)
        bool v2 = false;  // the torrent has SHA-256 block hashes (v2 or hybrid)
        bool v1 = true;   // its pieces have a SHA-1 (false once a hash job of a v2-only torrent asks none)
        file_storage const *files = nullptr;
        std::string save_path;
        aux::vector<download_priority_t, file_index_t> priorities;
        std::map<file_index_t, int> open;
        std::map<file_index_t, int> open_direct;  // the same files opened with O_DIRECT
        // Set by the completion of a failed async_set_file_priority (on the network thread).
        std::shared_ptr<std::atomic<bool>> priority_failed = std::make_shared<std::atomic<bool>>(false);
        std::unordered_map<int, piece_hash> hashes;
        std::unordered_map<int, piece_block_hashes> block_hashes;
        std::multiset<int> writing;  // pieces the writer thread has not finished (once per job)
        std::map<int, storage_error> write_failed;  // pieces a block of which the disk refused, until hashed
        // Hash jobs of pieces the writer has: answered when it is done with them.
        std::map<int, hash_wait> hash_waiting;
    };

    // One piece for the writer thread: where each part goes (an O_DIRECT descriptor with the
    // ordinary one to fall back on, or the ordinary one alone), the buffer, and the last block's
    // completion. Made and finished on the network thread; the writer only runs the pwrites.
    struct write_job {
        struct part {
            int fd;
            int fallback;  // -1: none
            char *data;
            std::int64_t size;
            std::int64_t offset;
            file_index_t file;
        };
        storage_index_t storage;
        int piece = 0;
        std::vector<part> parts;
        held_buffer buffer;
        std::function<void(storage_error const &)> handler;
        int error = 0;  // errno of the failed write
        file_index_t failed_file{0};
        bool refused_direct = false;
        std::int64_t micros = 0;  // spent writing, on the writer thread
        // The piece's SHA-1: given (`has_sha1`), or with `v1` finished by the writer from `sha1`
        // over `length` bytes at `data` (the piece from `from`) up to the pad that follows the
        // piece's file (`data_end`), and zeroes up to `piece_size`.
        std::uint64_t id = 0;
        bool has_sha1 = false;
        bool v1 = false;
        hasher sha1;
        char const *data = nullptr;
        int from = 0;
        int length = 0;
        int data_end = 0;
        int piece_size = 0;
        sha1_hash sha1_result;
        int size2 = 0;  // with it, the SHA-256 of each block of `data` before it (from block 0)
        std::vector<sha256_hash> blocks;
        std::int64_t hash_micros = 0;
    };

    // The writer thread and its queue. Shared with the completions it posts to the network thread,
    // which reach the backend only while `owner` is set (the destructor clears it).
    struct writer_state {
        std::mutex mutex;
        std::condition_variable wake;   // a job was queued, or stop
        std::condition_variable idle;   // the queue is empty and nothing is being written
        std::deque<std::unique_ptr<write_job>> queue;
        std::vector<std::unique_ptr<write_job>> done;
        bool busy = false;
        bool stopping = false;
        std::thread thread;
        std::mutex owner_mutex;
        cached_disk_io *owner = nullptr;
        // A second thread takes a piece's SHA-1 while the writer writes it (the write mostly waits
        // for the disk): one job at a time, handed over and waited for by the writer.
        std::mutex hash_mutex;
        std::condition_variable hash_wake;  // a job to hash, or stop
        std::condition_variable hash_done;  // the job is hashed
        write_job *hashing = nullptr;
        bool hash_stopping = false;
        std::thread hasher;

        void run_hasher() {
            std::unique_lock<std::mutex> lock(hash_mutex);
            while (true) {
                hash_wake.wait(lock, [&] { return hash_stopping || hashing; });
                if (!hashing) return;
                write_job *job = hashing;
                lock.unlock();
                auto const start = clock_type::now();
                hash(*job);
                job->hash_micros = total_microseconds(clock_type::now() - start);
                lock.lock();
                hashing = nullptr;
                hash_done.notify_all();
            }
        }

        void run(io_context &ios, std::shared_ptr<writer_state> self) {
            std::unique_lock<std::mutex> lock(mutex);
            while (true) {
                wake.wait(lock, [&] { return stopping || !queue.empty(); });
                if (queue.empty()) return;
                std::unique_ptr<write_job> job = std::move(queue.front());
                queue.pop_front();
                busy = true;
                lock.unlock();
                bool const hashes = job->v1 || job->size2 > 0;
                if (hashes) {
                    std::lock_guard<std::mutex> handing(hash_mutex);
                    hashing = job.get();
                }
                if (hashes) hash_wake.notify_one();
                auto const start = clock_type::now();
                perform(*job);
                job->micros = total_microseconds(clock_type::now() - start);
                if (hashes) {
                    std::unique_lock<std::mutex> waiting(hash_mutex);
                    hash_done.wait(waiting, [&] { return hashing == nullptr; });
                }
                lock.lock();
                done.push_back(std::move(job));
                busy = false;
                if (queue.empty()) idle.notify_all();
                boost::asio::post(ios, [self] {
                    std::lock_guard<std::mutex> owned(self->owner_mutex);
                    if (self->owner) self->owner->reap();
                });
            }
        }

        static void hash(write_job &job) {
            for (int offset = 0; offset < std::min(job.length, job.size2); offset += default_block_size) {
                job.blocks.push_back(hasher256(job.data + offset, std::min(default_block_size, job.size2 - offset)).final());
            }
            if (!job.v1) return;
            int const end = std::min(job.length, job.data_end - job.from);
            if (end > 0) job.sha1.update(job.data, end);
            add_zeroes(job.sha1, job.piece_size - job.data_end);
            job.sha1_result = job.sha1.final();
        }

        // Only a refusal of O_DIRECT itself (EINVAL) falls back to the page cache: any other error
        // (ENOSPC, EIO) is the disk's answer and is reported, never hidden in the cache.
        static void perform(write_job &job) {
            for (auto const &part : job.parts) {
                if (all(part.fd, part.data, part.size, part.offset, true)) continue;
                int error = errno;
                if (part.fallback >= 0 && error == EINVAL) {
                    job.refused_direct = true;
                    if (all(part.fallback, part.data, part.size, part.offset, true)) continue;
                    error = errno;
                }
                job.error = error;
                job.failed_file = part.file;
                return;
            }
        }

        void stop() {
            {
                std::lock_guard<std::mutex> lock(mutex);
                stopping = true;
            }
            wake.notify_all();
            if (thread.joinable()) thread.join();
            {
                std::lock_guard<std::mutex> lock(hash_mutex);
                hash_stopping = true;
            }
            hash_wake.notify_all();
            if (hasher.joinable()) hasher.join();
        }
    };

    torrent *find(storage_index_t index) {
        auto found = m_torrents.find(index);
        if (found == m_torrents.end()) return nullptr;
        torrent &t = found->second;
        if (t.cached && t.priority_failed->load()) {
            write_all_held(t);
            t.write_failed.clear();
            close_files(t);
            t.cached = false;
        }
        return &t;
    }

    // Follows the piece's blocks while they come in order from its first byte (a held piece keeps
    // them in its buffer). Out of order, written again, or (v1) partly padding, whose bytes
    // posix_disk_io hashes as zeroes whatever the peer sent: the piece is hashed by reading it back.
    // In a v2 or hybrid torrent a pad only ever follows a file's last byte, and the hashes stop there.
    void sequence(torrent &t, peer_request const &r) {
        int const piece = static_cast<int>(r.piece);
        auto found = t.hashes.find(piece);
        if (found == t.hashes.end()) {
            if (r.start != 0) return;  // not seen from its first block: hashed by reading it back
            found = t.hashes.emplace(piece, piece_hash()).first;
            // Only a piece this backend writes itself is gathered in a buffer.
            if (t.direct && t.cached) take_piece_buffer(t, r.piece, found->second);
            found->second.deferred = found->second.buffer.data && t.v1 && t.v2;
        }
        if (found->second.next != r.start || found->second.job != 0 || (!t.v2 && touches_pad_file(t, r))) {
            forget(t, r.piece, true);
            return;
        }
        found->second.next += r.length;
    }

    // Whether the piece's hashes wait for its held bytes (see piece_hash).
    static bool hashes_deferred(torrent const &t, piece_index_t piece) {
        auto found = t.hashes.find(static_cast<int>(piece));
        return found != t.hashes.end() && found->second.deferred && found->second.buffer.data;
    }

    // The block, next in its piece, into the piece's SHA-1 now.
    void feed_sha1_now(torrent &t, peer_request const &r, char const *buf) {
        auto found = t.hashes.find(static_cast<int>(r.piece));
        if (found == t.hashes.end() || found->second.next != r.start + r.length) return;
        if (found->second.hashed == r.start) feed_sha1(t, r.piece, found->second, buf, r.start, r.length);
        else forget(t, r.piece, true);
    }

    // Where the piece's own bytes end: a v2 or hybrid piece stops at its file's end, the pad after
    // it is zeroes; a v1 piece is whole.
    static int data_end(torrent const &t, piece_index_t piece) {
        return t.v2 ? t.files->piece_size2(piece) : t.files->piece_size(piece);
    }


    // `length` bytes of the piece from `start` (at `bytes`), after the `hashed` ones, into its SHA-1.
    void feed_sha1(torrent const &t, piece_index_t piece, piece_hash &h, char const *bytes, int start, int length) {
        int const end = data_end(t, piece);
        if (t.v1 && start < end) h.sha1.update(bytes, std::min(length, end - start));
        h.hashed = start + length;
    }

    // The piece's SHA-1: from the writer, or what was fed followed by the pad's zeroes.
    sha1_hash piece_sha1(torrent const &t, piece_index_t piece, piece_hash const &h) const {
        if (h.final) return h.result;
        hasher sha1(h.sha1);
        add_zeroes(sha1, t.files->piece_size(piece) - data_end(t, piece));
        return sha1.final();
    }

    // The SHA-256 of each block of `length` bytes of the piece from `start` (at `bytes`), over its
    // bytes inside the piece's v2 part (a block that straddles the end of a file is hashed up to it;
    // one wholly in the pad after it is never requested). Blocks may come in any order; a block
    // written again replaces its hash.
    void feed_block_hashes(torrent &t, piece_index_t piece, char const *bytes, int start, int length) {
        int const size2 = t.files->piece_size2(piece);
        for (int offset = start; offset < start + length && offset < size2; offset += default_block_size) {
            if (offset % default_block_size != 0) return;
            set_block_hash(t, piece, offset / default_block_size,
                           hasher256(bytes + (offset - start), std::min({default_block_size, size2 - offset, start + length - offset})).final());
        }
    }

    void set_block_hash(torrent &t, piece_index_t piece, int block, sha256_hash const &hash) {
        piece_block_hashes &entry = t.block_hashes[static_cast<int>(piece)];
        if (entry.hashes.empty()) {
            int const blocks = t.files->blocks_in_piece2(piece);
            entry.hashes.resize(static_cast<std::size_t>(blocks));
            entry.seen.assign(static_cast<std::size_t>(blocks), false);
            entry.missing = blocks;
        }
        std::size_t const index = static_cast<std::size_t>(block);
        if (index >= entry.hashes.size()) return;
        entry.hashes[index] = hash;
        if (!entry.seen[index]) {
            entry.seen[index] = true;
            --entry.missing;
        }
    }

    // A block whose bytes this backend did not write: its piece's blocks are read back to be hashed.
    static void forget_block_hash(torrent &t, peer_request const &r) {
        auto found = t.block_hashes.find(static_cast<int>(r.piece));
        if (found == t.block_hashes.end()) return;
        std::size_t const block = static_cast<std::size_t>(r.start / default_block_size);
        if (block < found->second.seen.size() && found->second.seen[block]) {
            found->second.seen[block] = false;
            ++found->second.missing;
        }
    }

    static bool touches_pad_file(torrent const &t, peer_request const &r) {
        if (!t.pads) return false;
        for (auto const &slice : t.files->map_block(r.piece, r.start, r.length)) {
            if (t.files->pad_file_at(slice.file_index)) return true;
        }
        return false;
    }

    enum class hold { no, kept, queued };

    // Keeps the block in its piece's buffer when the piece has one and the block continues it
    // (`kept`); with the last block, the piece goes to the writer thread, which posts `handler`
    // once it is on disk (`queued`). `no`: the block is to be written now (what the piece held so
    // far is written first, so the file never misses an acknowledged block).
    hold hold_block(torrent &t, storage_index_t storage, peer_request const &r, char const *buf,
                    std::function<void(storage_error const &)> &handler) {
        auto found = t.hashes.find(static_cast<int>(r.piece));
        if (found == t.hashes.end() || !found->second.buffer.data) return hold::no;
        piece_hash &h = found->second;
        if (h.held != r.start || h.next != r.start + r.length || !plain(t, t.files->map_block(r.piece, r.start, r.length))) {
            write_held(t, r.piece);
            return hold::no;
        }
        std::memcpy(h.buffer.data + h.skew + r.start, buf, static_cast<std::size_t>(r.length));
        h.held += r.length;
        if (h.held < data_end(t, r.piece)) return hold::kept;
        if (queue_piece(t, storage, r.piece, h, handler)) return hold::queued;
        if (write_held(t, r.piece)) return hold::kept;
        // The piece could not be written: this block's write fails below (posix_disk_io reports the
        // error), and the piece is hashed from the files, which fails, so it is downloaded again.
        forget(t, r.piece, false);
        return hold::no;
    }

    // Hands a whole held piece to the writer thread; false if a descriptor cannot be had here
    // (the caller then writes it itself and reports what fails).
    bool queue_piece(torrent &t, storage_index_t storage, piece_index_t piece, piece_hash &h,
                     std::function<void(storage_error const &)> &handler) {
        auto job = std::make_unique<write_job>();
        if (!plan_parts(t, piece, h.buffer.data + h.skew, h.held, job->parts)) return false;
        job->storage = storage;
        job->piece = static_cast<int>(piece);
        // The piece's SHA-1 goes with the job: finished by the writer from the held bytes not fed
        // yet (a hybrid piece), or already whole.
        job->id = ++m_jobs;
        job->has_sha1 = t.v1;
        bool const deferred = h.hashed < h.held;
        job->v1 = t.v1 && deferred;
        job->data = h.buffer.data + h.skew + h.hashed;
        job->from = h.hashed;
        job->length = h.held - h.hashed;
        if (job->v1) {
            job->sha1 = h.sha1;
            job->data_end = data_end(t, piece);
            job->piece_size = t.files->piece_size(piece);
        } else if (t.v1) {
            job->sha1_result = piece_sha1(t, piece, h);
        }
        if (t.v2 && deferred && h.hashed == 0) job->size2 = t.files->piece_size2(piece);
        h.job = job->id;
        h.job_v1 = job->has_sha1;
        h.job_blocks = job->size2 > 0 ? t.files->blocks_in_piece2(piece) : 0;
        h.hashed = h.held;
        job->buffer = std::move(h.buffer);
        job->handler = std::move(handler);
        h.held = 0;
        t.writing.insert(static_cast<int>(piece));
        writer_state &w = writer();
        {
            std::lock_guard<std::mutex> lock(w.mutex);
            w.queue.push_back(std::move(job));
        }
        w.wake.notify_one();
        return true;
    }

    // Where the first `length` bytes of a piece, at `data`, go: per file, the bytes up to the file's
    // first 4 KiB boundary and after its last one through the page cache, the whole 4 KiB blocks
    // between them with O_DIRECT when `data` is aligned there (the buffer's skew arranges that for
    // the piece's largest file) and the torrent may. False if a descriptor cannot be had.
    bool plan_parts(torrent &t, piece_index_t piece, char *data, int length, std::vector<write_job::part> &parts) {
        auto const slices = t.files->map_block(piece, 0, length);
        if (!plain(t, slices)) return false;
        std::uint64_t const closes = m_closes;
        std::int64_t done = 0;
        for (auto const &slice : slices) {
            if (!t.files->pad_file_at(slice.file_index)) {
                char *const from = data + done;
                int const fd = descriptor(t, slice.file_index, true);
                if (fd < 0) return false;
                std::int64_t const head = std::min(slice.size, (direct_alignment - slice.offset % direct_alignment) % direct_alignment);
                std::int64_t const middle = (slice.size - head) & ~(direct_alignment - 1);
                bool const aligned = reinterpret_cast<std::uintptr_t>(from + head) % direct_alignment == 0;
                int const direct = t.direct && middle > 0 && aligned ? descriptor(t, slice.file_index, true, true) : -1;
                // descriptor() may have closed descriptors taken for earlier parts, to stay under the limit.
                if (m_closes != closes) return false;
                if (direct >= 0) {
                    if (head > 0) parts.push_back({fd, -1, from, head, slice.offset, slice.file_index});
                    parts.push_back({direct, fd, from + head, middle, slice.offset + head, slice.file_index});
                    std::int64_t const tail = slice.size - head - middle;
                    if (tail > 0) parts.push_back({fd, -1, from + head + middle, tail, slice.offset + head + middle, slice.file_index});
                } else {
                    parts.push_back({fd, -1, from, slice.size, slice.offset, slice.file_index});
                }
            }
            done += slice.size;
        }
        return done == length;
    }

    writer_state &writer() {
        if (!m_writer) {
            m_writer = std::make_shared<writer_state>();
            m_writer->owner = this;
            // The hashing thread first: a writer without it would wait for it forever.
            m_writer->hasher = std::thread([w = m_writer] { w->run_hasher(); });
            m_writer->thread = std::thread([w = m_writer, &ios = m_ios] { w->run(ios, w); });
        }
        return *m_writer;
    }

    // On the network thread: finishes what the writer has written (its completion posted, with the
    // error if it failed; a failed piece's hash is dropped, so it is read back and fails).
    void reap() {
        std::vector<std::unique_ptr<write_job>> done;
        {
            std::lock_guard<std::mutex> lock(m_writer->mutex);
            done.swap(m_writer->done);
        }
        for (auto &job : done) {
            // The time the writer spent: the block that queued the piece counted none of it.
            m_counters.inc_stats_counter(counters::disk_write_time, job->micros);
            m_counters.inc_stats_counter(counters::disk_job_time, job->micros);
            m_counters.inc_stats_counter(counters::disk_hash_time, job->hash_micros);
            m_counters.inc_stats_counter(counters::disk_job_time, job->hash_micros);
            auto found = m_torrents.find(job->storage);
            if (found != m_torrents.end()) {
                torrent &t = found->second;
                auto writing = t.writing.find(job->piece);
                if (writing != t.writing.end()) t.writing.erase(writing);
                if (job->refused_direct) t.direct = false;
                // The piece's hashes, for a hash job that comes later.
                auto hashes = t.hashes.find(job->piece);
                if (job->error) {
                    // Only this job's copy of the piece: a newer one held meanwhile keeps its blocks.
                    if (hashes != t.hashes.end() && hashes->second.job == job->id) {
                        t.hashes.erase(hashes);
                        t.block_hashes.erase(job->piece);
                    }
                    // A hash job that comes later fails with the disk's error (one waiting is answered below).
                    auto waiting = t.hash_waiting.find(job->piece);
                    if (waiting == t.hash_waiting.end() || waiting->second.job != job->id) {
                        storage_error failure;
                        failure.ec = boost::system::error_code(job->error, boost::system::generic_category());
                        failure.file(job->failed_file);
                        failure.operation = operation_t::file_write;
                        t.write_failed[job->piece] = failure;
                    }
                } else if (hashes != t.hashes.end() && hashes->second.job == job->id) {
                    hashes->second.job = 0;
                    hashes->second.final = job->has_sha1;
                    hashes->second.result = job->sha1_result;
                    for (std::size_t block = 0; block < job->blocks.size(); ++block) {
                        set_block_hash(t, piece_index_t(job->piece), static_cast<int>(block), job->blocks[block]);
                    }
                }
            }
            storage_error error;
            if (job->error) {
                error.ec = boost::system::error_code(job->error, boost::system::generic_category());
                error.file(job->failed_file);
                error.operation = operation_t::file_write;
            }
            boost::asio::post(m_ios, [h = std::move(job->handler), error] { h(error); });
            if (found != m_torrents.end()) {
                auto waiting = found->second.hash_waiting.find(job->piece);
                if (waiting != found->second.hash_waiting.end() && waiting->second.job == job->id) {
                    piece_index_t const piece(job->piece);
                    hash_wait &wait = waiting->second;
                    sha1_hash const hash = job->error || !wait.v1 ? sha1_hash() : job->sha1_result;
                    if (!job->error && !wait.v2.empty()) {
                        std::size_t const count = std::min<std::size_t>(job->blocks.size(), static_cast<std::size_t>(wait.v2.size()));
                        std::copy(job->blocks.begin(), job->blocks.begin() + static_cast<std::ptrdiff_t>(count), wait.v2.begin());
                    }
                    boost::asio::post(m_ios, [h = std::move(wait.handler), piece, hash, error] { h(piece, hash, error); });
                    found->second.hash_waiting.erase(waiting);
                }
            }
            m_done.push_back(std::move(job));
        }
        m_done.clear();  // buffers back to the spares, here on the network thread
    }

    // Waits until the writer has written everything queued, then finishes it.
    void drain() {
        if (!m_writer) return;
        {
            std::unique_lock<std::mutex> lock(m_writer->mutex);
            m_writer->idle.wait(lock, [&] { return m_writer->queue.empty() && !m_writer->busy; });
        }
        reap();
    }

    // Writes what the piece holds in memory, if anything, and lets its buffer go; later blocks of
    // it are written as they come. False if the write failed (the hash then is not to be trusted).
    //
    // Those blocks were acknowledged as written: if the plan cannot be made (a piece over more
    // files than may be open at once), they are written file by file as single blocks are; if
    // the disk refuses them, the piece's hash job fails with that error (`write_failed`).
    bool write_held(torrent &t, piece_index_t piece) {
        auto found = t.hashes.find(static_cast<int>(piece));
        if (found == t.hashes.end() || !found->second.buffer.data) return true;
        piece_hash &h = found->second;
        bool written = true;
        storage_error failure;
        if (h.held > h.hashed) {
            // What the buffer holds is not hashed yet (a hybrid piece): it is now, before it goes.
            char const *const bytes = h.buffer.data + h.skew + h.hashed;
            int const from = h.hashed;
            if (t.v2) feed_block_hashes(t, piece, bytes, from, h.held - from);
            feed_sha1(t, piece, h, bytes, from, h.held - from);
        }
        if (h.held > 0) {
            char *const data = h.buffer.data + h.skew;
            write_job job;
            if (plan_parts(t, piece, data, h.held, job.parts)) {
                writer_state::perform(job);
                if (job.refused_direct) t.direct = false;
                if (job.error) {
                    written = false;
                    failure.ec = boost::system::error_code(job.error, boost::system::generic_category());
                    failure.file(job.failed_file);
                    failure.operation = operation_t::file_write;
                }
            } else {
                peer_request whole;
                whole.piece = piece;
                whole.start = 0;
                whole.length = h.held;
                written = write_block(t, whole, data, &failure);
            }
        }
        // `found` may be stale: writing can drain the writer, whose finished jobs erase hashes.
        found = t.hashes.find(static_cast<int>(piece));
        if (found != t.hashes.end()) {
            found->second.buffer.release();
            found->second.held = 0;
            if (!written) t.hashes.erase(found);
        }
        if (!written) t.block_hashes.erase(static_cast<int>(piece));
        if (!written) {
            if (!failure.ec) {
                failure.ec = boost::system::error_code(EIO, boost::system::generic_category());
                failure.operation = operation_t::file_write;
            }
            t.write_failed[static_cast<int>(piece)] = failure;
        }
        return written;
    }

    void write_all_held(torrent &t) {
        std::vector<int> pieces;
        for (auto const &entry : t.hashes) {
            if (entry.second.buffer.data) pieces.push_back(entry.first);
        }
        for (int const piece : pieces) write_held(t, piece_index_t(piece));
    }

    // Drops what is known of the piece's hash; with `write`, what it held is written first.
    void forget(torrent &t, piece_index_t piece, bool write) {
        if (write) write_held(t, piece);
        t.hashes.erase(static_cast<int>(piece));
    }

    void forget_all(torrent &t, bool write) {
        if (write) write_all_held(t);
        t.hashes.clear();
        t.block_hashes.clear();
        t.write_failed.clear();
    }

    // A buffer for the piece, with the piece placed `skew` bytes in so that its largest file's 4 KiB
    // boundaries fall on aligned addresses: files of a v1 torrent start anywhere inside a piece.
    void take_piece_buffer(torrent const &t, piece_index_t piece, piece_hash &h) {
        int const size = t.files->piece_size(piece);
        std::int64_t position = 0, best = -1, skew = 0;
        for (auto const &slice : t.files->map_block(piece, 0, size)) {
            if (!t.files->pad_file_at(slice.file_index) && slice.size > best) {
                best = slice.size;
                skew = ((slice.offset - position) % direct_alignment + direct_alignment) % direct_alignment;
            }
            position += slice.size;
        }
        h.buffer = take_buffer(static_cast<std::size_t>(size + direct_alignment));
        h.skew = static_cast<int>(skew);
    }

    held_buffer take_buffer(std::size_t size) {
        std::size_t const capacity = (size + direct_alignment - 1) & ~static_cast<std::size_t>(direct_alignment - 1);
        // Room for four pieces at least, so large pieces are held (and written past the cache) too.
        if (m_held_bytes + capacity > std::max(max_held_bytes, 4 * capacity)) return held_buffer();
        char *data = nullptr;
        for (auto spare = m_spare.begin(); spare != m_spare.end(); ++spare) {
            if (spare->second == capacity) {
                data = spare->first;
                m_spare.erase(spare);
                break;
            }
        }
        if (!data) data = static_cast<char *>(std::aligned_alloc(direct_alignment, capacity));
        if (!data) return held_buffer();
        m_held_bytes += capacity;
        return held_buffer(this, data, capacity);
    }

    void give_back(char *data, std::size_t capacity) {
        m_held_bytes -= capacity;
        if (m_spare.size() < max_spare_buffers) m_spare.emplace_back(data, capacity);
        else std::free(data);
    }

    void count_write(time_point start) {
        std::int64_t const micros = total_microseconds(clock_type::now() - start);
        m_counters.inc_stats_counter(counters::num_blocks_written);
        m_counters.inc_stats_counter(counters::num_write_ops);
        m_counters.inc_stats_counter(counters::disk_write_time, micros);
        m_counters.inc_stats_counter(counters::disk_job_time, micros);
    }

    // Whether every byte of the block lies in files this backend may use itself.
    bool plain(torrent const &t, std::vector<file_slice> const &slices) const {
        for (auto const &slice : slices) {
            if (t.files->pad_file_at(slice.file_index)) continue;
            if (slice.file_index < t.priorities.end_index() && t.priorities[slice.file_index] == dont_download) return false;
        }
        return true;
    }

    // With `failure`, a write the disk refused (full, over quota, read-only, an I/O error) is
    // reported as it is: posix_disk_io, given the block again, loses such an error in its FILE
    // buffer and later reports the piece's file as too short.
    bool write_block(torrent &t, peer_request const &r, char const *buf, storage_error *failure = nullptr) {
        if (t.writing.count(static_cast<int>(r.piece))) drain();  // the same bytes again: in order
        auto const slices = t.files->map_block(r.piece, r.start, r.length);
        if (!plain(t, slices)) return false;
        std::int64_t done = 0;
        for (auto const &slice : slices) {
            if (!t.files->pad_file_at(slice.file_index)) {
                int const fd = descriptor(t, slice.file_index, true);
                if (fd < 0) return false;
                if (!all(fd, const_cast<char *>(buf) + done, slice.size, slice.offset, true)) {
                    int const error = errno;
                    if (failure && (error == ENOSPC || error == EDQUOT || error == EROFS || error == EIO || error == EFBIG)) {
                        failure->ec = boost::system::error_code(error, boost::system::generic_category());
                        failure->file(slice.file_index);
                        failure->operation = operation_t::file_write;
                    }
                    return false;
                }
            }
            done += slice.size;
        }
        return done == r.length;
    }

    bool read_block(torrent &t, piece_index_t piece, int start, char *buf, int length) {
        auto const slices = t.files->map_block(piece, start, length);
        if (!plain(t, slices)) return false;
        std::int64_t done = 0;
        for (auto const &slice : slices) {
            if (t.files->pad_file_at(slice.file_index)) {
                std::memset(buf + done, 0, static_cast<std::size_t>(slice.size));
            } else {
                int const fd = descriptor(t, slice.file_index, false);
                if (fd < 0) return false;
                // A short read (a file shorter than the torrent says) goes to posix_disk_io, which reports it.
                if (!all(fd, buf + done, slice.size, slice.offset, false)) return false;
            }
            done += slice.size;
        }
        return done == length;
    }

    // pwrite or pread of exactly `size` bytes, going on after partial transfers.
    static bool all(int fd, char *buf, std::int64_t size, std::int64_t offset, bool write) {
        while (size > 0) {
            ssize_t const n = write ? ::pwrite(fd, buf, static_cast<std::size_t>(size), offset)
                                    : ::pread(fd, buf, static_cast<std::size_t>(size), offset);
            if (n < 0 && errno == EINTR) continue;
            if (n == 0) errno = EIO;  // nothing moved and no error: a short file on read, never a stale errno
            if (n <= 0) return false;
            buf += n;
            size -= n;
            offset += n;
        }
        return true;
    }

    // The file's descriptor, opened read-write like posix_storage on first use. Only a write creates
    // the file and its folders; a read of a missing file fails here and goes to posix_disk_io, which
    // reports it (and creates nothing).
    // With `direct`, a second descriptor opened with O_DIRECT (-1 where the filesystem refuses it).
    int descriptor(torrent &t, file_index_t index, bool create, bool direct = false) {
        auto &open = direct ? t.open_direct : t.open;
        auto found = open.find(index);
        if (found != open.end()) return found->second;
        if (t.open.size() + t.open_direct.size() >= max_open_files) close_files(t);
        if (m_open_total >= max_open_files_total) close_all();
        std::string const path = t.files->file_path(index, t.save_path);
        int const flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0) | (direct ? O_DIRECT : 0);
        int fd = ::open(path.c_str(), flags, 0666);
        if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
            close_all();
            fd = ::open(path.c_str(), flags, 0666);
        }
        if (fd < 0 && errno == ENOENT && create) {
            std::error_code ignored;
            std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
            fd = ::open(path.c_str(), flags, 0666);
        }
        if (fd < 0 && direct && errno == EINVAL) t.direct = false;  // a filesystem without O_DIRECT (tmpfs)
        if (fd >= 0) {
            (direct ? t.open_direct : t.open).emplace(index, fd);
            ++m_open_total;
        }
        return fd;
    }

    void close_files(torrent &t) {
        if (!t.writing.empty()) drain();  // the writer may be using these descriptors
        if (!t.open.empty() || !t.open_direct.empty()) ++m_closes;
        for (auto const &entry : t.open) ::close(entry.second);
        for (auto const &entry : t.open_direct) ::close(entry.second);
        m_open_total -= t.open.size() + t.open_direct.size();
        t.open.clear();
        t.open_direct.clear();
    }

    void close_all() {
        for (auto &entry : m_torrents) close_files(entry.second);
    }

    io_context &m_ios;
    settings_interface const &m_settings;
    counters &m_counters;
    bool const m_past_cache;
    char m_scratch[default_block_size];
    std::unique_ptr<disk_interface> m_inner;
    std::map<storage_index_t, torrent> m_torrents;
    std::size_t m_open_total = 0;
    std::uint64_t m_closes = 0;  // times descriptors were closed (a queued piece's must stay open)
    std::uint64_t m_jobs = 0;    // writer jobs queued so far, their ids
    std::size_t m_held_bytes = 0;  // in buffers of pieces held, not counting spares
    std::vector<std::pair<char *, std::size_t>> m_spare;
    std::shared_ptr<writer_state> m_writer;
    std::vector<std::unique_ptr<write_job>> m_done;  // finished jobs, destroyed on the network thread
};

} // namespace

std::unique_ptr<lt::disk_interface> cached_disk_io_constructor(lt::io_context &ios, lt::settings_interface const &settings,
                                                               lt::counters &counters) {
    return std::make_unique<cached_disk_io>(ios, settings, counters, true);
}

// For threaded_disk_io, which calls it from a thread of its own: always through the page cache.
std::unique_ptr<lt::disk_interface> cached_disk_io_in_page_cache_constructor(lt::io_context &ios, lt::settings_interface const &settings,
                                                                             lt::counters &counters) {
    return std::make_unique<cached_disk_io>(ios, settings, counters, false);
}
