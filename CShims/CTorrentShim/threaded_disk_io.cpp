// libtorrent 2.0.8's POSIX disk I/O, moved off the network thread.
//
// posix_disk_io runs every disk job (write, read, the SHA-1 of a finished piece) inside the call
// that issues it, on libtorrent's network thread: at loopback speed that thread spends most of its
// time hashing and writing instead of receiving (docs/NOTES.md, "libtorrent: disk I/O and memory").
// The memory-mapped backend has threads but maps whole files into the process (3.7 GiB RSS for
// 1.9 GB moved). This wrapper keeps posix_disk_io's bounded memory and gives it one thread of its
// own: every job is queued in issue order (a read or a hash after a write of the same block sees
// that write) and run there; completions are posted back to the network thread by posix_disk_io as
// before. A write's block is copied into the queue; once more than max_queued_disk_bytes wait,
// async_write answers "queue full" and the peer is told when it has drained (disk_observer).
#include <libtorrent/aux_/vector.hpp>
#include <libtorrent/disk_interface.hpp>
#include <libtorrent/disk_observer.hpp>
#include <libtorrent/io_context.hpp>
#include <libtorrent/peer_request.hpp>
#include <libtorrent/performance_counters.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/add_torrent_params.hpp>

#include <boost/asio/post.hpp>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using namespace lt;

struct threaded_disk_io final : disk_interface {
    threaded_disk_io(io_context &ios, settings_interface const &settings, std::unique_ptr<disk_interface> inner)
        : m_ios(ios), m_settings(settings), m_inner(std::move(inner)),
          m_worker([this] { run(); }) {}

    ~threaded_disk_io() override { stop(); }

    storage_holder new_torrent(storage_params const &params, std::shared_ptr<void> const &owner) override {
        std::lock_guard<std::mutex> inner(m_inner_mutex);
        storage_holder held = m_inner->new_torrent(params, owner);
        storage_index_t const index = held;
        m_storages.emplace(index, std::move(held));
        return storage_holder(index, *this);
    }

    // Queued like any job, so nothing queued before it runs against a storage that is gone.
    void remove_torrent(storage_index_t index) override {
        enqueue([this, index] { m_storages.erase(index); });
    }

    void async_read(storage_index_t storage, peer_request const &r,
                    std::function<void(disk_buffer_holder, storage_error const &)> handler, disk_job_flags_t flags) override {
        enqueue([this, storage, r, handler = std::move(handler), flags]() mutable {
            m_inner->async_read(storage, r, std::move(handler), flags);
        });
    }

    bool async_write(storage_index_t storage, peer_request const &r, char const *buf, std::shared_ptr<disk_observer> observer,
                     std::function<void(storage_error const &)> handler, disk_job_flags_t flags) override {
        // The caller owns `buf` only for this call.
        auto block = std::make_shared<std::vector<char>>(buf, buf + r.length);
        std::int64_t const queued = m_queued_bytes.fetch_add(r.length) + r.length;
        enqueue([this, storage, r, block, observer, handler = std::move(handler), flags]() mutable {
            m_inner->async_write(storage, r, block->data(), observer, std::move(handler), flags);
            block.reset();
            written(r.length);
        });
        if (queued <= limit()) return false;
        if (observer) {
            std::lock_guard<std::mutex> lock(m_queue_mutex);
            m_observers.push_back(std::move(observer));
        }
        // The queue may have drained before the observer was listed: then nobody else would wake it.
        if (m_queued_bytes.load() <= limit() / 2) wake_observers();
        return true;
    }

    void async_hash(storage_index_t storage, piece_index_t piece, span<sha256_hash> v2, disk_job_flags_t flags,
                    std::function<void(piece_index_t, sha1_hash const &, storage_error const &)> handler) override {
        enqueue([this, storage, piece, v2, flags, handler = std::move(handler)]() mutable {
            m_inner->async_hash(storage, piece, v2, flags, std::move(handler));
        });
    }

    void async_hash2(storage_index_t storage, piece_index_t piece, int offset, disk_job_flags_t flags,
                     std::function<void(piece_index_t, sha256_hash const &, storage_error const &)> handler) override {
        enqueue([this, storage, piece, offset, flags, handler = std::move(handler)]() mutable {
            m_inner->async_hash2(storage, piece, offset, flags, std::move(handler));
        });
    }

    void async_move_storage(storage_index_t storage, std::string path, move_flags_t flags,
                            std::function<void(status_t, std::string const &, storage_error const &)> handler) override {
        enqueue([this, storage, path = std::move(path), flags, handler = std::move(handler)]() mutable {
            m_inner->async_move_storage(storage, std::move(path), flags, std::move(handler));
        });
    }

    void async_release_files(storage_index_t storage, std::function<void()> handler) override {
        enqueue([this, storage, handler = std::move(handler)]() mutable { m_inner->async_release_files(storage, std::move(handler)); });
    }

    void async_check_files(storage_index_t storage, add_torrent_params const *resume_data,
                           aux::vector<std::string, file_index_t> links,
                           std::function<void(status_t, storage_error const &)> handler) override {
        enqueue([this, storage, resume_data, links = std::move(links), handler = std::move(handler)]() mutable {
            m_inner->async_check_files(storage, resume_data, std::move(links), std::move(handler));
        });
    }

    void async_stop_torrent(storage_index_t storage, std::function<void()> handler) override {
        enqueue([this, storage, handler = std::move(handler)]() mutable { m_inner->async_stop_torrent(storage, std::move(handler)); });
    }

    void async_rename_file(storage_index_t storage, file_index_t index, std::string name,
                           std::function<void(std::string const &, file_index_t, storage_error const &)> handler) override {
        enqueue([this, storage, index, name = std::move(name), handler = std::move(handler)]() mutable {
            m_inner->async_rename_file(storage, index, std::move(name), std::move(handler));
        });
    }

    void async_delete_files(storage_index_t storage, remove_flags_t options, std::function<void(storage_error const &)> handler) override {
        enqueue([this, storage, options, handler = std::move(handler)]() mutable {
            m_inner->async_delete_files(storage, options, std::move(handler));
        });
    }

    void async_set_file_priority(storage_index_t storage, aux::vector<download_priority_t, file_index_t> priorities,
                                 std::function<void(storage_error const &, aux::vector<download_priority_t, file_index_t>)> handler) override {
        enqueue([this, storage, priorities = std::move(priorities), handler = std::move(handler)]() mutable {
            m_inner->async_set_file_priority(storage, std::move(priorities), std::move(handler));
        });
    }

    void async_clear_piece(storage_index_t storage, piece_index_t index, std::function<void(piece_index_t)> handler) override {
        enqueue([this, storage, index, handler = std::move(handler)]() mutable { m_inner->async_clear_piece(storage, index, std::move(handler)); });
    }

    void update_stats_counters(counters &c) const override {
        c.set_value(counters::queued_disk_jobs, m_queued_jobs.load());
        c.set_value(counters::queued_write_bytes, m_queued_bytes.load());
        std::lock_guard<std::mutex> inner(m_inner_mutex);
        m_inner->update_stats_counters(c);
    }

    std::vector<open_file_state> get_status(storage_index_t storage) const override {
        std::lock_guard<std::mutex> inner(m_inner_mutex);
        return m_inner->get_status(storage);
    }

    // Every queued job runs first (their completions are posted as usual), then the thread ends.
    void abort(bool wait) override {
        stop();
        std::lock_guard<std::mutex> inner(m_inner_mutex);
        m_inner->abort(wait);
    }

    // libtorrent calls this once it has issued a batch: the thread is woken per batch, not per block.
    void submit_jobs() override { m_ready.notify_one(); }

    void settings_updated() override {
        std::lock_guard<std::mutex> inner(m_inner_mutex);
        m_inner->settings_updated();
    }

private:
    std::int64_t limit() const {
        int const configured = m_settings.get_int(settings_pack::max_queued_disk_bytes);
        return configured > 0 ? configured : 1024 * 1024;
    }

    void enqueue(std::function<void()> job) {
        bool wake;
        {
            std::unique_lock<std::mutex> lock(m_queue_mutex);
            if (m_exited) {
                // After abort the thread is gone: a late job runs here, as posix_disk_io would run it.
                lock.unlock();
                std::lock_guard<std::mutex> inner(m_inner_mutex);
                job();
                return;
            }
            m_jobs.push_back(std::move(job));
            m_queued_jobs.fetch_add(1);
            wake = m_jobs.size() >= 64;
        }
        // A long batch does not wait for submit_jobs to start draining.
        if (wake) m_ready.notify_one();
    }

    // A write reached the disk: once the queue is down to half the limit, the throttled peers go on.
    void written(int bytes) {
        std::int64_t const left = m_queued_bytes.fetch_sub(bytes) - bytes;
        if (left <= limit() / 2) wake_observers();
    }

    void wake_observers() {
        std::vector<std::shared_ptr<disk_observer>> waiting;
        {
            std::lock_guard<std::mutex> lock(m_queue_mutex);
            waiting.swap(m_observers);
        }
        if (waiting.empty()) return;
        boost::asio::post(m_ios, [waiting = std::move(waiting)] {
            for (auto const &observer : waiting) observer->on_disk();
        });
    }

    void run() {
        std::unique_lock<std::mutex> lock(m_queue_mutex);
        for (;;) {
            // The timeout covers a job issued without a submit_jobs after it.
            m_ready.wait_for(lock, std::chrono::milliseconds(5), [this] { return !m_jobs.empty() || m_stopping; });
            if (m_jobs.empty()) {
                if (m_stopping) {
                    m_exited = true;
                    return;
                }
                continue;
            }
            std::deque<std::function<void()>> batch;
            batch.swap(m_jobs);
            lock.unlock();
            {
                std::lock_guard<std::mutex> inner(m_inner_mutex);
                for (auto &job : batch) {
                    job();
                    m_queued_jobs.fetch_sub(1);
                }
            }
            batch.clear();
            lock.lock();
        }
    }

    void stop() {
        {
            std::lock_guard<std::mutex> lock(m_queue_mutex);
            m_stopping = true;
        }
        m_ready.notify_one();
        if (m_worker.joinable() && m_worker.get_id() != std::this_thread::get_id()) m_worker.join();
    }

    io_context &m_ios;
    settings_interface const &m_settings;
    std::unique_ptr<disk_interface> m_inner;
    // The inner backend's holders, by index: erasing one removes the storage from posix_disk_io.
    std::map<storage_index_t, storage_holder> m_storages;
    mutable std::mutex m_inner_mutex;

    std::mutex m_queue_mutex;
    std::condition_variable m_ready;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::shared_ptr<disk_observer>> m_observers;
    bool m_stopping = false;
    bool m_exited = false;
    std::atomic<std::int64_t> m_queued_bytes{0};
    std::atomic<std::int64_t> m_queued_jobs{0};

    std::thread m_worker;
};

} // namespace

std::unique_ptr<lt::disk_interface> cached_disk_io_in_page_cache_constructor(lt::io_context &, lt::settings_interface const &, lt::counters &);

// posix_disk_io on a thread of its own.
std::unique_ptr<lt::disk_interface> threaded_disk_io_constructor(lt::io_context &ios, lt::settings_interface const &settings,
                                                                 lt::counters &counters) {
    return std::make_unique<threaded_disk_io>(ios, settings, lt::posix_disk_io_constructor(ios, settings, counters));
}

// cached_disk_io.cpp's backend on a thread of its own (through the page cache: its own writer
// thread expects to be called from the network thread).
std::unique_ptr<lt::disk_interface> threaded_cached_disk_io_constructor(lt::io_context &ios, lt::settings_interface const &settings,
                                                                        lt::counters &counters) {
    return std::make_unique<threaded_disk_io>(ios, settings, cached_disk_io_in_page_cache_constructor(ios, settings, counters));
}
