import Foundation
import Pipeline
import Search
import Storage
import Testing
import Tickets

@Suite("Search: indexers, query tiers, candidates")
struct IndexerSearchTests {
    static let okComputer = TicketSearch(artist: "Radiohead", album: "OK Computer", year: 1997)

    @Test("Jackett JSON: candidates de-duplicated by info-hash, best-seeded kept, hashes from magnets, link-less dropped")
    func jackett() async throws {
        try await FixtureIndexer.serve { base, _ in
            let search = CandidateSearch(indexers: [JackettClient(baseURL: base, apiKey: FixtureIndexer.apiKey)], enough: 1)
            let outcome = await search.search(Self.okComputer)
            #expect(outcome.errors.isEmpty)
            #expect(outcome.queries == ["Radiohead OK Computer"])
            #expect(outcome.candidates.count == 2)
            let best = try #require(outcome.candidates.first)
            #expect(best.infoHash == FixtureIndexer.okComputerHash && best.seeders == 40 && best.indexer == "other" && best.leechers == 1)
            #expect(outcome.candidates.last?.infoHash == String(repeating: "3c", count: 20))
        }
    }

    @Test("the tiers go on to the normalised query when the first finds nothing")
    func tiers() async throws {
        try await FixtureIndexer.serve { base, log in
            let search = CandidateSearch(indexers: [JackettClient(baseURL: base, apiKey: FixtureIndexer.apiKey)], enough: 1)
            let outcome = await search.search(TicketSearch(artist: "Björk", album: "Homogenic (Deluxe Edition)"))
            #expect(outcome.candidates.map(\.infoHash) == [FixtureIndexer.homogenicHash])
            #expect(log.all == ["Björk Homogenic (Deluxe Edition)", "Bjork Homogenic"])
            let forced = await search.search(TicketSearch(artist: "Björk", album: "Homogenic"), override: "bjork homogenic")
            #expect(forced.queries == ["bjork homogenic"] && forced.candidates.count == 1)
        }
    }

    @Test("Torznab: caps read once, t=music with artist/album/year, attributes parsed")
    func torznab() async throws {
        try await FixtureIndexer.serve { base, log in
            let client = TorznabClient(name: "prowlarr", baseURL: base + "/torznab/api", apiKey: FixtureIndexer.apiKey)
            let outcome = await CandidateSearch(indexers: [client], enough: 1).search(Self.okComputer)
            #expect(outcome.errors.isEmpty)
            #expect(log.all.first == "music:Radiohead|OK Computer|1997")
            #expect(outcome.candidates.count == 2)
            let first = try #require(outcome.candidates.first)
            #expect(first.seeders == 25 && first.leechers == 2 && first.sizeBytes == 123456)
            #expect(first.downloadUrl?.hasSuffix(".torrent") == true && first.publishDate != nil && first.indexer == "prowlarr")
        }
    }

    @Test("a wrong key is a configuration error, garbage a bad response, a 502 retried until it passes")
    func failures() async throws {
        try await FixtureIndexer.serve { base, _ in
            let wrong = await CandidateSearch(indexers: [JackettClient(baseURL: base, apiKey: "wrong")]).search(Self.okComputer)
            #expect(wrong.candidates.isEmpty && wrong.queries.count == 1, "a refused key is not asked again per tier")
            guard case .unauthorized(_, let message) = wrong.errors.first else { Issue.record("\(wrong.errors)"); return }
            #expect(message.contains("Invalid API key"))
            let torznabWrong = await CandidateSearch(indexers: [TorznabClient(name: "t", baseURL: base + "/torznab/api", apiKey: "wrong")]).search(
                Self.okComputer)
            guard case .unauthorized = torznabWrong.errors.first else { Issue.record("\(torznabWrong.errors)"); return }

            let garbage = await CandidateSearch(indexers: [JackettClient(baseURL: base + "/garbage", apiKey: FixtureIndexer.apiKey)]).search(
                Self.okComputer)
            guard case .badResponse(_, let reason) = garbage.errors.first else { Issue.record("\(garbage.errors)"); return }
            #expect(reason.contains("not Jackett's JSON"))

            let flaky = CandidateSearch(
                indexers: [JackettClient(baseURL: base + "/flaky", apiKey: FixtureIndexer.apiKey)], retries: 2, retryDelay: .milliseconds(20))
            let recovered = await flaky.search(Self.okComputer)
            #expect(recovered.errors.isEmpty && recovered.candidates.count == 2)
        }
    }

    @Test("the search stage turns outcomes into stage errors: refused key not retryable, no indexers explained")
    func stageErrors() async throws {
        let dir = TemporaryDirectory("downloader2-searchstage")
        let ticket = try await AppDatabase.inMemory().storeTicket(Fixtures.ticket(id: "search-stage", root: dir.path), in: .searching)
        try await FixtureIndexer.serve { base, _ in
            let refused = IndexerSearchStage(search: CandidateSearch(indexers: [JackettClient(baseURL: base, apiKey: "wrong")]))
            do {
                _ = try await refused.search(ticket, query: nil, context: StageContext(ticketId: ticket.id))
                Issue.record("a refused key must fail the search stage")
            } catch let error as StageError {
                #expect(error.code == "indexer_auth" && !error.retryable)
            }
            let found = try await IndexerSearchStage(search: CandidateSearch(indexers: [JackettClient(baseURL: base, apiKey: FixtureIndexer.apiKey)]))
                .search(ticket, query: nil, context: StageContext(ticketId: ticket.id))
            #expect(found.count == 2)
        }
        do {
            _ = try await IndexerSearchStage(search: CandidateSearch(indexers: [])).search(
                ticket, query: nil, context: StageContext(ticketId: ticket.id))
            Issue.record("no indexers must fail")
        } catch let error as StageError {
            #expect(error.code == "no_indexers" && error.message.contains("[jackett]"))
        }
    }

    @Test("query normalisation and distinctiveness")
    func planner() {
        let tiers = QueryPlanner.tiers(for: TicketSearch(artist: "Sigur Rós", album: "Ágætis byrjun (20th Anniversary Edition)"))
        #expect(tiers.map(\.text) == ["Sigur Rós Ágætis byrjun (20th Anniversary Edition)", "Sigur Ros Agætis byrjun", "Agætis byrjun"])
        #expect(
            QueryPlanner.tiers(for: TicketSearch(artist: "Simon & Garfunkel", album: "Bookends")).map(\.text) == [
                "Simon & Garfunkel Bookends", "Simon and Garfunkel Bookends",
            ])
        #expect(QueryPlanner.tiers(for: TicketSearch(artist: "Weezer", album: "Weezer")).count == 1)
        #expect(QueryPlanner.tiers(for: TicketSearch(artist: "Queen", album: "Greatest Hits")).count == 1)
        #expect(
            QueryPlanner.tiers(for: TicketSearch(artist: "Sinéad O’Connor", album: "I Do Not Want What I Haven’t Got"))[1].text
                == "Sinead O'Connor I Do Not Want What I Haven't Got")
    }
}
