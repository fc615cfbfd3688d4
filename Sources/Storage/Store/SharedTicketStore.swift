import Foundation

/// A store several nodes share (``PostgresStore``): what a node needs beyond ``TicketStore`` to
/// hold leases, stay visible to the others and follow their work.
public protocol SharedTicketStore: TicketStore {
    /// This node's name (`[cluster] node_id`).
    var nodeId: String { get }
    /// How long a lease lasts without a renewal; ``heartbeat()`` runs every third of it.
    var leaseSecs: Double { get }
    /// Records this node as started.
    func registerNode() async throws
    /// Records that this node is alive and renews its leases; returns the tickets whose lease it lost.
    func heartbeat() async throws -> Set<String>
    /// Every node known, with its last heartbeat and the tickets it holds.
    func nodes() async throws -> [NodeStatus]
    /// Events other nodes stored, as they are announced (read them with ``TicketStore/events(ticketId:since:)``).
    var announcements: AsyncStream<TicketAnnouncement> { get }
}

extension SharedTicketStore {
    /// Tickets other nodes hold a live lease on.
    public func ticketsHeldByOtherNodes() async throws -> Set<String> {
        Set(try await nodes().filter { $0.id != nodeId }.flatMap(\.tickets))
    }
}

/// One node of a shared store, as `GET /api/v1/nodes` shows it.
public struct NodeStatus: Sendable, Equatable, Codable {
    public var id: String
    public var startedAt: Date
    public var heartbeatAt: Date
    /// Whether its last heartbeat is within one lease period.
    public var alive: Bool
    public var maxParallelDownloads: Int
    public var address: String
    /// Tickets it holds a live lease on.
    public var tickets: [String]

    public init(id: String, startedAt: Date, heartbeatAt: Date, alive: Bool, maxParallelDownloads: Int, address: String, tickets: [String]) {
        self.id = id
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.alive = alive
        self.maxParallelDownloads = maxParallelDownloads
        self.address = address
        self.tickets = tickets
    }
}

/// Another node stored event `seq` of a ticket.
public struct TicketAnnouncement: Sendable, Equatable {
    public var ticketId: String
    public var seq: Int
    public var node: String

    public init(ticketId: String, seq: Int, node: String) {
        self.ticketId = ticketId
        self.seq = seq
        self.node = node
    }
}
