import Foundation
import Pipeline
import Testing
import Tickets

/// The publication order of stored events, driven step by step: no store, no timing. Each case is
/// an order in which two writes can come back that a loaded machine produced (issue: the worker's
/// claim of a ticket came back before its submission did).
@Suite("Stored events go out in commit order")
struct CommitOrderPublisherTests {
    private static func event(_ ticket: String, _ seq: Int, _ type: TicketEventType = .stateChange) -> TicketEvent {
        TicketEvent(ticketId: ticket, seq: seq, type: type, payload: .object([:]), at: Date(timeIntervalSince1970: 0))
    }

    /// Everything the bus published: `publish` yields synchronously, so finishing the bus first
    /// leaves a stream that ends, and nothing is waited for.
    private static func drain(_ stream: AsyncStream<TicketEvent>, of bus: EventBus) async -> [String] {
        bus.finish()
        var seen: [String] = []
        for await next in stream { seen.append("\(next.ticketId):\(next.seq)") }
        return seen
    }

    @Test("a claim that comes back before the submission of its ticket waits for the submission's created event")
    func claimBeforeSubmission() async {
        let bus = EventBus()
        let stream = bus.subscribe()
        let publisher = CommitOrderPublisher(bus: bus)
        publisher.begin("t1")  // submission stores t1 (seq 1)
        publisher.begin(nil)  // the claim may choose any ticket
        publisher.end(nil, publishing: [Self.event("t1", 2)])
        publisher.publishProgress(Self.event("t9", 0, .progress))
        publisher.end("t1", publishing: [Self.event("t1", 1, .created)])
        #expect(await Self.drain(stream, of: bus) == ["t9:0", "t1:1", "t1:2"])
    }

    @Test("a claim in progress holds other tickets' events until it returns; a failed write releases what it held")
    func claimHoldsEveryTicket() async {
        let bus = EventBus()
        let stream = bus.subscribe()
        let publisher = CommitOrderPublisher(bus: bus)
        publisher.begin(nil)
        publisher.begin("t2")
        publisher.end("t2", publishing: [Self.event("t2", 5)])  // held: the claim may have t2's seq 4
        publisher.begin("t3")
        publisher.end(nil, publishing: [Self.event("t2", 4)])
        publisher.begin("t3")
        publisher.end("t3", publishing: [Self.event("t3", 8)])  // held: another write on t3 is out
        publisher.end("t3", publishing: [])  // that write failed
        #expect(await Self.drain(stream, of: bus) == ["t2:4", "t2:5", "t3:8"])
    }

    @Test("two writes on one ticket coming back in the other order publish in seq order")
    func twoWritesOneTicket() async {
        let bus = EventBus()
        let stream = bus.subscribe()
        let publisher = CommitOrderPublisher(bus: bus)
        publisher.begin("t1")  // a stage's move
        publisher.begin("t1")  // an operator's cancel
        publisher.end("t1", publishing: [Self.event("t1", 7, )])
        publisher.end("t1", publishing: [Self.event("t1", 6)])
        publisher.begin("t1")
        publisher.end("t1", publishing: [Self.event("t1", 8)])
        #expect(await Self.drain(stream, of: bus) == ["t1:6", "t1:7", "t1:8"])
    }
}
