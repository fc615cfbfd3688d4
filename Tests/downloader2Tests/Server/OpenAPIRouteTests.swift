import Foundation
import Hummingbird
import Server
import Testing

/// The OpenAPI document (Sources/Server/Embedded/openapi.json) held to the router that serves it.
@Suite("OpenAPI document against the router")
struct OpenAPIRouteTests {
    let h = try! APIHarness()

    /// The document as the server serves it.
    func document() async throws -> [String: Any] {
        let answer = try await h.raw(.get, "/api/v1/openapi.json")
        #expect(answer.status == .ok)
        return try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any], "the document is a JSON object")
    }

    @Test("every route the application registers is an operation of the document, and every operation has a route")
    func routesAndOperationsMatch() async throws {
        let router = buildRouter(h.dependencies)
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let paths = try #require(try await document()["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        let documented = Set(
            paths.flatMap { path, operations in
                operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
        #expect(registered.count > 20, "the router lists its routes: \(registered.sorted())")
        #expect(registered.subtracting(documented).isEmpty, "routes the document does not describe: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "operations no route serves: \(documented.subtracting(registered).sorted())")
    }

    @Test("every key of a ticket view, a list page and an event is a property of its schema")
    func wireKeysAreDocumented() async throws {
        let document = try await document()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        /// The properties of a schema, through `allOf` and `$ref`.
        func properties(_ name: String) -> Set<String> {
            guard let schema = schemas[name] as? [String: Any] else { return [] }
            return properties(of: schema)
        }
        func properties(of schema: [String: Any]) -> Set<String> {
            var keys = Set((schema["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
            for part in (schema["allOf"] as? [[String: Any]]) ?? [] { keys.formUnion(properties(of: part)) }
            if let ref = schema["$ref"] as? String { keys.formUnion(properties(String(ref.split(separator: "/").last ?? ""))) }
            return keys
        }
        let ticket = Fixtures.ticket(id: "doc-1", root: h.mediaRoot)
        _ = try await h.orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
        let view = try await h.raw(.get, "/api/v1/ticket/doc-1")
        let list = try await h.raw(.get, "/api/v1/tickets?limit=5")
        let viewObject = try #require(try JSONSerialization.jsonObject(with: view.body) as? [String: Any])
        let listObject = try #require(try JSONSerialization.jsonObject(with: list.body) as? [String: Any])
        #expect(
            Set(viewObject.keys).subtracting(properties("TicketView")).isEmpty,
            "TicketView keys missing from the schema: \(Set(viewObject.keys).subtracting(properties("TicketView")).sorted())")
        #expect(
            Set(listObject.keys).subtracting(properties("TicketList")).isEmpty,
            "TicketList keys missing from the schema: \(Set(listObject.keys).subtracting(properties("TicketList")).sorted())")
        let submitted = try #require(viewObject["ticket"] as? [String: Any])
        #expect(
            Set(submitted.keys).subtracting(properties("Ticket")).isEmpty,
            "Ticket keys missing from the schema: \(Set(submitted.keys).subtracting(properties("Ticket")).sorted())")
        let history = try #require(viewObject["history"] as? [[String: Any]])
        for event in history {
            #expect(
                Set(event.keys).subtracting(properties("TicketEvent")).isEmpty,
                "TicketEvent keys missing from the schema: \(Set(event.keys).subtracting(properties("TicketEvent")).sorted())")
        }
        #expect(!history.isEmpty)
    }
}
