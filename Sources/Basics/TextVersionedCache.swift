import Synchronization

/// Values derived from a stored text (a ticket decoded from its JSON, its JSON re-encoded), kept by id
/// and used only while the text is the same; forgotten all at once when `capacity` are held.
public final class TextVersionedCache<Value: Sendable>: Sendable {
    private let capacity: Int
    private let entries = Mutex<[String: (text: String, value: Value)]>([:])

    public init(capacity: Int) { self.capacity = capacity }

    public func value(id: String, text: String, make: () throws -> Value) rethrows -> Value {
        if let known = cached(id: id, text: text) { return known }
        let value = try make()
        store(id: id, text: text, value)
        return value
    }

    /// The value kept for `id` while its text is `text`.
    public func cached(id: String, text: String) -> Value? {
        guard let known = entries.withLock({ $0[id] }), known.text == text else { return nil }
        return known.value
    }

    public func store(id: String, text: String, _ value: Value) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = (text, value)
        }
    }
}
