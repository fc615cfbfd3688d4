import GRDB

extension AppDatabase {
    /// Append-only: a released migration is never edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-ticket") { db in
            try db.create(table: "ticket") { t in
                t.primaryKey("id", .text)
                t.column("ticketJSON", .text).notNull()
                t.column("state", .text).notNull()
                t.column("stateDetails", .text).notNull()
                t.column("priority", .integer).notNull().defaults(to: 0)
                t.column("retryCount", .integer).notNull().defaults(to: 0)
                t.column("waitUntil", .datetime)
                t.column("errorMessage", .text)
                t.column("errorHistory", .text).notNull().defaults(to: "[]")
                t.column("searchQuery", .text)
                t.column("approvalState", .text)
                t.column("approvalDetails", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "ticket_on_state_priority_createdAt", on: "ticket", columns: ["state", "priority", "createdAt"])
        }

        migrator.registerMigration("v1-ticketEvent") { db in
            try db.create(table: "ticketEvent") { t in
                t.column("ticketId", .text).notNull().references("ticket", onDelete: .restrict)
                t.column("seq", .integer).notNull()
                t.column("type", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["ticketId", "seq"])
            }
            // History is evidence: the database itself refuses to rewrite it.
            try db.execute(
                sql: """
                    CREATE TRIGGER ticketEvent_append_only_update BEFORE UPDATE ON ticketEvent
                    BEGIN SELECT RAISE(ABORT, 'ticketEvent is append-only'); END;
                    CREATE TRIGGER ticketEvent_append_only_delete BEFORE DELETE ON ticketEvent
                    BEGIN SELECT RAISE(ABORT, 'ticketEvent is append-only'); END;
                    CREATE TRIGGER ticketEvent_seq_increasing BEFORE INSERT ON ticketEvent
                    WHEN NEW.seq <= COALESCE((SELECT MAX(seq) FROM ticketEvent WHERE ticketId = NEW.ticketId), 0)
                    BEGIN SELECT RAISE(ABORT, 'ticketEvent seq must increase per ticket'); END;
                    """)
        }

        migrator.registerMigration("v1-candidate") { db in
            try db.create(table: "candidate") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("ticketId", .text).notNull().indexed().references("ticket", onDelete: .cascade)
                t.column("infoHash", .text).notNull()
                t.column("title", .text).notNull()
                t.column("indexer", .text).notNull()
                t.column("score", .double)
                t.column("payload", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.uniqueKey(["ticketId", "infoHash"])
            }
        }

        migrator.registerMigration("v1-downloadFile") { db in
            try db.create(table: "downloadFile") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("ticketId", .text).notNull().indexed().references("ticket", onDelete: .cascade)
                t.column("path", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("type", .text).notNull()
                t.column("sha256", .text)
                t.column("verifiedAt", .datetime)
                t.uniqueKey(["ticketId", "path"])
            }
        }

        // Who holds a torrent is a relation: the release a ticket chose (or follows), and the torrent
        // its download runs on. Kept in step by every state change (`AppDatabase.apply`).
        migrator.registerMigration("v2-ticketTorrent") { db in
            try db.create(table: "ticketTorrent") { t in
                t.column("ticketId", .text).notNull().references("ticket", onDelete: .cascade)
                t.column("infoHash", .text).notNull().indexed()
                t.primaryKey(["ticketId", "infoHash"])
            }
            for record in try TicketRecord.fetchAll(db) {
                try record.syncHeldTorrents(db)
            }
        }

        // Releases that must not be downloaded again (refused by verification, or by an operator).
        migrator.registerMigration("v3-blocklist") { db in
            try db.create(table: "blocklist") { t in
                t.primaryKey("infoHash", .text)
                t.column("title", .text)
                t.column("reason", .text).notNull()
                t.column("evidence", .text).notNull().defaults(to: "{}")
                t.column("artist", .text)
                t.column("album", .text)
                t.column("source", .text).notNull()
                t.column("ticketId", .text)
                t.column("createdAt", .datetime).notNull()
            }
        }

        // Service-wide switches that survive a restart (the global pause).
        migrator.registerMigration("v4-setting") { db in
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }

        // The queue's reads in one index entry each, however deep the queue: the claim per claimable
        // state in index order (no sort of every waiting ticket), the next backoff from the few
        // tickets that have one, and the newest tickets for `GET /tickets`. Before, each wake-up of
        // the orchestrator scanned and sorted every pending ticket (7 ms at 10 k tickets).
        migrator.registerMigration("v5-queue-indexes") { db in
            try db.drop(index: "ticket_on_state_priority_createdAt")
            try db.execute(sql: "CREATE INDEX ticket_claim ON ticket (state, priority DESC, createdAt, id)")
            try db.execute(sql: "CREATE INDEX ticket_waiting ON ticket (waitUntil) WHERE waitUntil IS NOT NULL")
            try db.execute(sql: "CREATE INDEX ticket_newest ON ticket (createdAt DESC, id)")
        }

        return migrator
    }
}
