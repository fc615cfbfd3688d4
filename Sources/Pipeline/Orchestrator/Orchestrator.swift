import Basics
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Tickets

/// Owns every state change of every ticket (docs/ARCHITECTURE.md#retries-backoff-and-error-history): the API asks, the Orchestrator decides,
/// writes through the store and publishes the resulting events.
///
/// As a `Service` it recovers interrupted tickets at start-up, then claims ready tickets
/// (priority, then age, honouring backoff) into at most `maxParallelTickets` workers.
public actor Orchestrator: Service {
    let database: any TicketStore
    let stages: PipelineStages
    let settings: PipelineSettings
    public nonisolated let events: EventBus
    /// Every stored event goes out through this, in the order its write committed.
    nonisolated let publisher: CommitOrderPublisher
    /// The time of every decision (``TicketClock``): the wall clock unless a test gives its own.
    public nonisolated let clock: any TicketClock
    nonisolated let progressThrottle = ProgressThrottle()
    nonisolated let snapshots = StateSnapshots()
    nonisolated let downloadSlots: Slots
    nonisolated let metrics: PipelineMetrics
    let logger: Logger
    let wake = WakeSignal()
    /// Tickets a worker is on, with the flag that stops it.
    var inFlight: [String: StopFlag] = [:]
    /// The global pause: no ticket is claimed while it is on (kept in the `setting` table).
    var pausedAll = false
    /// Looks at the queue so far (each claims what is due, then sleeps): a test that checks that
    /// nothing is claimed waits for passes, not for time.
    public private(set) var claimPasses = 0

    public init(
        database: any TicketStore, stages: PipelineStages, settings: PipelineSettings, events: EventBus = EventBus(),
        metrics: PipelineMetrics = PipelineMetrics(), clock: any TicketClock = WallClock(), logger: Logger
    ) {
        self.clock = clock
        self.database = database
        self.metrics = metrics
        self.stages = stages
        self.settings = settings
        self.downloadSlots = Slots(settings.maxParallelDownloads)
        self.events = events
        self.publisher = CommitOrderPublisher(bus: events)
        self.logger = logger
    }

    /// `setting` key of the global pause, and the name its pauses are made under.
    static let pausedAllKey = "paused_all"
    public static let pauseAllOperator = "pause-all"

    /// States a worker can pick a ticket up from.
    static let claimableStates: Set<TicketStateName> = Set(TicketStateName.allCases.filter(\.isReadyForWork))

    public func run() async throws {
        try await recoverInterruptedTickets()
        pausedAll = try await database.setting(Self.pausedAllKey) == "true"
        if pausedAll { logger.notice("everything is paused (POST /api/v1/resume to go on): no ticket is claimed") }
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                while !Task.isCancelled, !Task.isShuttingDownGracefully {
                    do {
                        // The shutdown is checked per claim too: with a deep queue of tickets that end
                        // at once (no indexer answers), slots free up as fast as they are filled, and
                        // this loop alone would never give the outer one a turn.
                        while !pausedAll, !Task.isShuttingDownGracefully, !Task.isCancelled, inFlight.count < settings.maxParallelTickets,
                            let claimed = try await claimNext()
                        {
                            let flag = StopFlag()
                            inFlight[claimed.ticket.id] = flag
                            group.addTask { await self.work(on: claimed, stopFlag: flag) }
                        }
                    } catch {
                        logger.error("claiming the next ticket failed: \(error)")
                    }
                    claimPasses += 1
                    await wake.wait(timeout: await sleepBudget())
                }
                // Workers see the flag at their next check and hand their ticket back.
                stopAllWork(.shutdown)
            } onGracefulShutdown: {
                self.wake.signal()
            }
        }
        logger.info("orchestrator stopped; interrupted tickets were returned to a resumable state")
    }

    /// Puts tickets a crash left mid-stage back where their work can start again.
    func recoverInterruptedTickets() async throws {
        let recovered = try await committing(nil, { $0.flatMap(\.events) }) { try await database.recoverInterruptedTickets(at: self.clock.now()) }
        for change in recovered {
            let note = change.events.last?.payload["node"]?.stringValue.map { "taken over from node \($0)" } ?? "after restart"
            logger.notice("recovered ticket \(change.ticket.id) to \(change.ticket.state.name.rawValue) \(note)")
        }
    }

    private func claimNext() async throws -> TicketChange? {
        try await committing(nil, { $0?.events ?? [] }) { try await claim() }
    }

    private func claim() async throws -> TicketChange? {
        try await database.claimNextTicket(inStates: Self.claimableStates, excluding: Set(inFlight.keys), at: clock.now()) { ticket in
            let now = self.clock.now()
            if let selected = ticket.state.selectedCandidate {
                return TicketUpdate(state: .downloading(.init(torrentHash: selected.torrent.infoHash, startedAt: now)), retryCount: ticket.retryCount)
            }
            return TicketUpdate(state: .searching(.init(startedAt: now, query: ticket.searchQuery)), retryCount: ticket.retryCount)
        }
    }

    /// Makes a write that stores events on `ticketId` (nil: on a ticket the write chooses) and
    /// publishes them in commit order (``CommitOrderPublisher``).
    func committing<Result>(
        _ ticketId: String?, _ events: (Result) -> [TicketEvent], _ write: () async throws -> Result
    ) async throws -> Result {
        publisher.begin(ticketId)
        do {
            let result = try await write()
            publisher.end(ticketId, publishing: events(result))
            return result
        } catch {
            publisher.end(ticketId, publishing: [])
            throw error
        }
    }

    /// Sleeps until the next backoff expires, or the check interval, whichever is sooner.
    private func sleepBudget() async -> Duration {
        var seconds = settings.checkInterval
        // Paused, nothing is claimed whenever a backoff ends: no need to ask when that is.
        if !pausedAll, let next = try? await database.nextWakeTime(inStates: Self.claimableStates) {
            seconds = min(seconds, max(next.timeIntervalSince(clock.now()), 0.05))
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// Several nodes: tickets whose lease this node lost; their workers stop and let go.
    public func leaseLost(_ ids: Set<String>) {
        for id in ids where inFlight[id] != nil {
            logger.notice("ticket \(id): another node has taken it over (or it was ended there); stopping the work here")
            inFlight[id]?.raise(.leaseLost)
        }
    }

    /// Several nodes: takes over the tickets of nodes whose leases expired (each back to its last safe
    /// state, with a `recovered` event), and reads the shared global pause.
    public func takeOverExpiredTickets() async throws {
        try await recoverInterruptedTickets()
        pausedAll = try await database.setting(Self.pausedAllKey) == "true"
        wake.signal()
    }

    /// Something outside this node may have made a ticket claimable (another node's event).
    public nonisolated func wakeUp() { wake.signal() }

    func finished(_ ticketId: String) {
        inFlight[ticketId] = nil
        wake.signal()
    }

    private func stopAllWork(_ reason: StageInterrupted.Reason) {
        for flag in inFlight.values { flag.raise(reason) }
    }

    /// Number of tickets workers are on right now.
    public var activeTicketCount: Int { inFlight.count }

    /// The tickets workers are on right now.
    public var activeTicketIds: [String] { Array(inFlight.keys) }
}
