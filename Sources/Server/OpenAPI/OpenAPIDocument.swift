/// The OpenAPI 3.1 description of every route, served at `GET /api/v1/openapi.json`.
///
/// The document is `Sources/Server/Embedded/openapi.json`, a file of its own kind (open it in any
/// OpenAPI editor or validator), embedded into the binary at build time by the EmbedText plugin.
/// `OpenAPIRouteTests` holds it to the router: a route the document does not describe, or an
/// operation no route serves, fails the suite.
enum OpenAPIDocument {
    static var json: String { EmbeddedText.openapi_json }
}
