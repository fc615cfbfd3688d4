import Foundation
import Synchronization
import Testing
import Torrent

/// `[torrent] alt_schedule`: the syntax, the windows on a clock the test controls, and the
/// alternative limit applied to a real loopback transfer while its window is open.
@Suite("Bandwidth schedule: alternative speed limits by time of day")
struct BandwidthScheduleTests {
    /// 2026-11-30 is a Monday; `hour` and `minute` in UTC, read in a UTC calendar.
    static func monday(plusDays days: Int = 0, _ hour: Int, _ minute: Int = 0) -> Date {
        var components = DateComponents(year: 2026, month: 11, day: 30 + days, hour: hour, minute: minute)
        components.timeZone = TimeZone(identifier: "UTC")
        return Calendar(identifier: .gregorian).date(from: components)!
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    @Test("windows: weekdays, wrapped day ranges, nights across midnight, several rules, the edges")
    func windows() throws {
        let weekdays = try BandwidthSchedule(parsing: "Mon-Fri 08:00-23:00")
        #expect(weekdays.isActive(at: Self.monday(8), calendar: Self.utc))
        #expect(weekdays.isActive(at: Self.monday(22, 59), calendar: Self.utc))
        #expect(!weekdays.isActive(at: Self.monday(23), calendar: Self.utc), "the end is exclusive")
        #expect(!weekdays.isActive(at: Self.monday(7, 59), calendar: Self.utc))
        #expect(weekdays.isActive(at: Self.monday(plusDays: 4, 12), calendar: Self.utc), "Friday")
        #expect(!weekdays.isActive(at: Self.monday(plusDays: 5, 12), calendar: Self.utc), "Saturday")

        let nights = try BandwidthSchedule(parsing: "Fri-Mon 22:00-06:00")
        #expect(nights.isActive(at: Self.monday(23), calendar: Self.utc), "Monday night")
        #expect(nights.isActive(at: Self.monday(plusDays: 1, 5, 59), calendar: Self.utc), "Tuesday before six: Monday's night")
        #expect(!nights.isActive(at: Self.monday(plusDays: 1, 23), calendar: Self.utc), "Tuesday night is not in Fri-Mon")
        #expect(nights.isActive(at: Self.monday(plusDays: 6, 3), calendar: Self.utc), "Sunday 03:00: Saturday's night")

        let two = try BandwidthSchedule(parsing: "Mon-Fri 08:00-18:00; Sat,Sun 10:00-22:00")
        #expect(
            two.isActive(at: Self.monday(plusDays: 5, 10), calendar: Self.utc) && !two.isActive(at: Self.monday(plusDays: 5, 9), calendar: Self.utc))
        let always = try BandwidthSchedule(parsing: "daily 00:00-24:00")
        #expect(always.isActive(at: Self.monday(0), calendar: Self.utc) && always.isActive(at: Self.monday(plusDays: 6, 23, 59), calendar: Self.utc))
        #expect(!(try BandwidthSchedule(parsing: "")).isActive(at: Self.monday(12), calendar: Self.utc), "empty: never")

        for bad in ["Mon-Fri", "Mon 8-23", "Funday 08:00-10:00", "Mon 25:00-26:00", "Mon 08:00-08:00", "Mon 08:60-09:00"] {
            #expect(throws: BandwidthSchedule.ParseError.self, "'\(bad)'") { try BandwidthSchedule(parsing: bad) }
        }
    }

    @Test("while the window is open the engine downloads at the alternative limit; when it closes, at full speed")
    func appliedToTransfer() async throws {
        let dir = TemporaryDirectory("bandwidth")
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Limited", files: [("payload.bin", 3_000_000)])
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let leecher = try TorrentSession(settings: .loopback())
        // The test's clock: inside the window until it says otherwise.
        let clock = ClockBox(Self.monday(12))
        let scheduler = BandwidthScheduler(
            session: leecher, normal: (0, 0), alternative: (200, 0), schedule: try BandwidthSchedule(parsing: "Mon-Fri 08:00-23:00"),
            interval: .milliseconds(200), now: { clock.now }, calendar: Self.utc)
        try await withRunning([seeder, leecher, scheduler]) {
            let hash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            #expect(await eventually(within: 10) { scheduler.current.limit == "alternative" }, "\(scheduler.current)")
            #expect(scheduler.current == BandwidthState(limit: "alternative", downloadKbps: 200, uploadKbps: 0, schedule: "Mon-Fri 08:00-23:00"))
            _ = try await leecher.add(torrentFile: torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(await seeder.listenPort)"])
            // Then: a third of the payload arrives at no more than the alternative limit
            #expect(await eventually(within: 60) { ((try? await leecher.progress(hash))?.wantedDoneBytes ?? 0) > 200_000 })
            let started = Date()
            let startBytes = (try await leecher.progress(hash)).wantedDoneBytes
            #expect(await eventually(within: 60) { ((try? await leecher.progress(hash))?.wantedDoneBytes ?? 0) >= 1_000_000 })
            let limitedRate = Double((try await leecher.progress(hash)).wantedDoneBytes - startBytes) / Date().timeIntervalSince(started)
            #expect(limitedRate <= 200 * 1024 * 1.3, "\(Int(limitedRate)) B/s under a 200 KiB/s limit")
            // When the window closes, the normal (unlimited) limits return and the rest arrives fast
            clock.now = Self.monday(23, 30)
            #expect(await eventually(within: 10) { scheduler.current.limit == "normal" })
            #expect(await eventually(within: 60) { (try? await leecher.progress(hash))?.isComplete == true })
            #expect(scheduler.current == BandwidthState(limit: "normal", downloadKbps: 0, uploadKbps: 0, schedule: "Mon-Fri 08:00-23:00"))
        }
    }
}

/// A date the test moves by hand.
final class ClockBox: Sendable {
    private let value: Mutex<Date>
    init(_ date: Date) { value = Mutex(date) }
    var now: Date {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
