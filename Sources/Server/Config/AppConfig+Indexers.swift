import Search

extension AppConfig {
    /// The indexer clients this configuration names: Jackett (if its URL is set) and every Torznab
    /// feed, each with its own timeout. The service's search stage and the health checks both ask these.
    public func indexerClients() -> [any IndexerClient] {
        var clients: [any IndexerClient] = []
        if !jackett.url.isEmpty {
            clients.append(
                JackettClient(baseURL: jackett.url, apiKey: jackett.apiKey, fetcher: HTTPFetcher(totalTimeout: Double(jackett.timeoutSecs))))
        }
        for endpoint in torznab.feeds.compactMap(IndexerEndpoint.init(torznabFeed:)) {
            clients.append(
                TorznabClient(
                    name: endpoint.name, baseURL: endpoint.baseURL, apiKey: endpoint.apiKey,
                    fetcher: HTTPFetcher(totalTimeout: Double(torznab.timeoutSecs))))
        }
        return clients
    }
}
