/// The OpenAPI 3.1 description of every route, served at `GET /api/v1/openapi.json`.
///
/// Generated from a reading of `Application+build.swift`, `Routes/`, `Events/EventSocketRoutes.swift`, `HTTP/`
/// and the `Tickets` Codable types; keep it in step with them when a route or a wire type changes.
/// The `##` raw-string delimiter lets the JSON hold `"#/components/..."` references unescaped.
enum OpenAPIDocument {
    static let json: String = ##"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "downloader2",
        "version": "0.1.0",
        "description": "Music download service: tickets from the catalog server are searched, matched, downloaded, converted and placed. Every path under `/api/v1` needs `Authorization: Bearer <token>` except `GET /api/v1/health` and `GET /api/v1/openapi.json`; `/` (admin page) and `/metrics` are open. Auth is checked before routing, so an unknown path or method answers 401 without a valid token and 404 (`not_found`) with one (a wrong method on a known path is also 404). JSON bodies use snake_case keys and RFC 3339 dates (`2024-05-01T12:00:00Z`); absent optional fields are omitted, not `null`. Errors are always `{\"error\":{\"code\":...,\"message\":...,\"field\":...}}`."
      },
      "servers": [
        {
          "url": "/"
        }
      ],
      "security": [
        {
          "bearerAuth": []
        }
      ],
      "tags": [
        {
          "name": "tickets",
          "description": "Submit, read, list and cancel tickets."
        },
        {
          "name": "admin",
          "description": "Operator actions, checked against the transition table."
        },
        {
          "name": "events",
          "description": "Live events over WebSocket."
        },
        {
          "name": "status",
          "description": "Health, statistics, configuration, metrics."
        },
        {
          "name": "admin-ui",
          "description": "The admin web page."
        },
        {
          "name": "blocklist",
          "description": "Releases that must not be downloaded again."
        }
      ],
      "paths": {
        "/": {
          "get": {
            "tags": [
              "admin-ui"
            ],
            "operationId": "adminPage",
            "summary": "Admin web page",
            "description": "A static HTML page holding no data; it asks for the token and then uses the API. Open (no auth).",
            "security": [],
            "responses": {
              "200": {
                "description": "The page.",
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        },
        "/metrics": {
          "get": {
            "tags": [
              "status"
            ],
            "operationId": "metrics",
            "summary": "Prometheus metrics",
            "description": "Prometheus text exposition (`text/plain; version=0.0.4`): tickets by state, stage durations, failures, bytes. Open (no auth): counts only.",
            "security": [],
            "responses": {
              "200": {
                "description": "Metrics.",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              }
            }
          }
        },
        "/api/v1/health": {
          "get": {
            "tags": [
              "status"
            ],
            "operationId": "health",
            "summary": "Liveness and database check",
            "description": "Open (no auth; any Authorization header is ignored).",
            "security": [],
            "responses": {
              "200": {
                "description": "Healthy.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Health"
                    }
                  }
                }
              },
              "503": {
                "description": "The database ping failed (`status: degraded`).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Health"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/openapi.json": {
          "get": {
            "tags": [
              "status"
            ],
            "operationId": "openapi",
            "summary": "This OpenAPI document",
            "description": "Open (no auth).",
            "security": [],
            "responses": {
              "200": {
                "description": "The OpenAPI 3.1 document.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OpenAPIDocument"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/stats": {
          "get": {
            "tags": [
              "status"
            ],
            "operationId": "stats",
            "summary": "Queue statistics",
            "responses": {
              "200": {
                "description": "Counts.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Stats"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/nodes": {
          "get": {
            "tags": [
              "status"
            ],
            "operationId": "nodes",
            "summary": "The nodes sharing the database",
            "description": "With `[database] url` (several nodes on one PostgreSQL): every node that has started, its last heartbeat, whether it is alive (a heartbeat within one lease period) and the tickets it holds a live lease on. With SQLite: this node alone, with the tickets its workers are on.",
            "responses": {
              "200": {
                "description": "The nodes.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Nodes"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/config": {
          "get": {
            "tags": [
              "status"
            ],
            "operationId": "config",
            "summary": "Configuration in force (secrets redacted)",
            "responses": {
              "200": {
                "description": "Configuration.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Config"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket": {
          "post": {
            "tags": [
              "tickets"
            ],
            "operationId": "submitTicket",
            "summary": "Submit a ticket (idempotent by ticket_id)",
            "description": "The body is read (size-limited), parsed, decoded and validated, in that order; only then is the `ticket_id` looked up. A new ticket is stored as `pending` (201); an existing `ticket_id` returns the stored ticket unchanged (200), whatever the new body says. The Content-Type header is not checked.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/TicketSubmission"
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "A ticket with this `ticket_id` already existed; it is returned unchanged.",
                "headers": {
                  "Location": {
                    "schema": {
                      "type": "string"
                    },
                    "description": "`/api/v1/ticket/{ticket_id}`"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "201": {
                "description": "Created.",
                "headers": {
                  "Location": {
                    "schema": {
                      "type": "string"
                    },
                    "description": "`/api/v1/ticket/{ticket_id}`"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket/{id}": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "get": {
            "tags": [
              "tickets"
            ],
            "operationId": "getTicket",
            "summary": "One ticket with its event history",
            "responses": {
              "200": {
                "description": "The ticket, with `history`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          },
          "delete": {
            "tags": [
              "tickets"
            ],
            "operationId": "cancelTicket",
            "summary": "Cancel a ticket",
            "description": "Moves the ticket to `cancelled` and stops its work. Allowed from every state except `completed`, `cancelled`, `failed` and `rejected` (409). No body is read.",
            "responses": {
              "200": {
                "description": "The cancelled ticket.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket/{id}/events": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "get": {
            "tags": [
              "tickets"
            ],
            "operationId": "ticketEvents",
            "summary": "Stored events of a ticket after `since`",
            "parameters": [
              {
                "name": "since",
                "in": "query",
                "required": false,
                "description": "Return events with `seq` greater than this (default 0: all). Checked before the ticket is looked up.",
                "schema": {
                  "type": "integer",
                  "format": "int64",
                  "minimum": 0,
                  "maximum": 9223372036854775807,
                  "default": 0
                }
              }
            ],
            "responses": {
              "200": {
                "description": "Events in `seq` order.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/EventList"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/tickets": {
          "get": {
            "tags": [
              "tickets"
            ],
            "operationId": "listTickets",
            "summary": "List tickets, newest first",
            "parameters": [
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "Page size.",
                "schema": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 500,
                  "default": 50
                }
              },
              {
                "name": "offset",
                "in": "query",
                "required": false,
                "description": "Tickets to skip.",
                "schema": {
                  "type": "integer",
                  "format": "int64",
                  "minimum": 0,
                  "maximum": 9223372036854775807,
                  "default": 0
                }
              },
              {
                "name": "state",
                "in": "query",
                "required": false,
                "style": "form",
                "explode": false,
                "description": "Only tickets in one of these states, comma-separated (`state=pending,failed`). Empty: no filter. Empty items between commas are ignored; an unknown name gives 400. Only the first `state` parameter counts.",
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/TicketStateName"
                  }
                }
              }
            ],
            "responses": {
              "200": {
                "description": "A page.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketList"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket/{id}/approve": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "approveTicket",
            "summary": "Approve a ticket waiting for a person",
            "description": "Only from `needs_approval` (409 otherwise). The body is optional (empty = `{}`) and is checked before the ticket is looked up; a `candidate_idx` past the candidate list gives 422 `invalid_candidate_idx`.",
            "responses": {
              "200": {
                "description": "The ticket after the action.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            },
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/ApproveRequest"
                  }
                }
              }
            }
          }
        },
        "/api/v1/ticket/{id}/reject": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "rejectTicket",
            "summary": "Reject a ticket waiting for a person",
            "description": "Only from `needs_approval` (409 otherwise). The body is optional (empty = `{}`) and is checked before the ticket is looked up.",
            "responses": {
              "200": {
                "description": "The ticket after the action.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            },
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/RejectRequest"
                  }
                }
              }
            }
          }
        },
        "/api/v1/ticket/{id}/retry": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "retryTicket",
            "summary": "Retry a failed ticket",
            "description": "Only from `failed` (409 otherwise): back to `pending`, or to the approval that chose its release, with a fresh retry count. No body is read.",
            "responses": {
              "200": {
                "description": "The ticket after the action.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket/{id}/force-search": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "forceSearchTicket",
            "summary": "Search again with an operator's query",
            "description": "A `pending` ticket keeps its place and takes the query; one in `searching`, `matching`, `needs_approval`, `rejected` or `failed` goes back to `pending` with it; other states give 409. The body is checked before the ticket is looked up.",
            "responses": {
              "200": {
                "description": "The ticket after the action.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            },
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/ForceSearchRequest"
                  }
                }
              }
            }
          }
        },
        "/api/v1/ws": {
          "get": {
            "tags": [
              "events"
            ],
            "operationId": "eventSocket",
            "summary": "WebSocket: ticket events, stored then live",
            "description": "A WebSocket endpoint (`Upgrade: websocket`). With `ticket_id`: that ticket's stored events after `since`, then its live ones; without: every ticket's live events from now on. Each text message is one `TicketEvent` JSON object (`progress` snapshots have `seq` 0 and are not stored); the client's messages are ignored. The upgrade needs the bearer token, either as `Authorization: Bearer <token>` or, for browsers, as a `bearer.<token>` entry of `Sec-WebSocket-Protocol` (the server then answers with the subprotocol `downloader2.v1`). A refused upgrade (bad token, unknown `ticket_id`, bad query) is not answered by the socket router: the request falls through to the plain HTTP route, which checks the `Authorization` header (401; a subprotocol token does not count there), then the query (400), and otherwise answers 426 `websocket_required` - so an upgrade for an unknown `ticket_id` gets 426, not 404.",
            "security": [
              {
                "bearerAuth": []
              },
              {
                "webSocketSubprotocolToken": []
              }
            ],
            "parameters": [
              {
                "name": "ticket_id",
                "in": "query",
                "required": false,
                "description": "Follow one ticket; empty means absent.",
                "schema": {
                  "type": "string"
                }
              },
              {
                "name": "since",
                "in": "query",
                "required": false,
                "description": "Replay stored events with `seq` greater than this; needs `ticket_id` (400 without it).",
                "schema": {
                  "type": "integer",
                  "format": "int64",
                  "minimum": 0,
                  "maximum": 9223372036854775807,
                  "default": 0
                }
              }
            ],
            "responses": {
              "101": {
                "description": "Switching Protocols: the WebSocket is open; messages are `TicketEvent` JSON.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketEvent"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "426": {
                "description": "A plain HTTP GET (or a refused upgrade): connect with `Upgrade: websocket` (`websocket_required`).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              }
            }
          }
        },
        "/api/v1/health/checks": {
          "get": {
            "summary": "The health checks' last report",
            "description": "What breaks a NAS install: media roots writable, free space against `[health] min_free_mb`, one file system or not, indexers answering and accepting their keys, the libav encoders. `serve` runs them every `[health] interval_mins`; `downloader2 doctor` runs the same checks (and the BitTorrent port) once.",
            "operationId": "getHealthChecks",
            "tags": [
              "status"
            ],
            "responses": {
              "200": {
                "description": "The report",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/HealthReport"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              }
            }
          }
        },
        "/api/v1/blocklist": {
          "get": {
            "tags": [
              "blocklist"
            ],
            "operationId": "listBlocklist",
            "summary": "Every blocklisted release, newest first",
            "responses": {
              "200": {
                "description": "The blocklist.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Blocklist"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          },
          "post": {
            "tags": [
              "blocklist"
            ],
            "operationId": "addToBlocklist",
            "summary": "Blocklist a release",
            "description": "Adds the release (or replaces its entry). With `album` (and optionally `artist`) it is dropped only from that album's searches; without, from every search. Search results on the blocklist are dropped before matching.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/BlocklistRequest"
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The stored entry.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/BlocklistEntry"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/blocklist/{info_hash}": {
          "parameters": [
            {
              "name": "info_hash",
              "in": "path",
              "required": true,
              "description": "A v1 (40 hex digits) or v2 (64) info-hash, any case.",
              "schema": {
                "type": "string",
                "minLength": 1
              }
            }
          ],
          "delete": {
            "tags": [
              "blocklist"
            ],
            "operationId": "removeFromBlocklist",
            "summary": "Take a release off the blocklist",
            "responses": {
              "204": {
                "description": "Removed."
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "description": "No entry for this info-hash (`not_blocklisted`).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket/{id}/spectrogram": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            },
            {
              "name": "file",
              "in": "query",
              "required": true,
              "description": "A file's `path` as the ticket's `verified` event gives it.",
              "schema": {
                "type": "string",
                "minLength": 1
              }
            }
          ],
          "get": {
            "tags": [
              "blocklist"
            ],
            "operationId": "spectrogram",
            "summary": "Spectrogram of a verified file",
            "description": "A PNG (640 × 320): time left to right, 0 Hz at the bottom to half the sample rate at the top, the fake-lossless cutoff marked in cyan.",
            "responses": {
              "200": {
                "description": "The picture.",
                "content": {
                  "image/png": {
                    "schema": {
                      "type": "string",
                      "format": "binary"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "description": "No such ticket (`ticket_not_found`), no verified file by that path (`file_not_verified`), or the file is gone (`file_gone`).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket/{id}/pause": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "pauseTicket",
            "summary": "Pause a ticket",
            "description": "A ticket downloading or waiting to download (`approved`, `auto_approved`) stops its torrent (resume data kept) and waits in `paused`; one converting finishes the tracks under way, which are kept for the resumed conversion; other states give 409.",
            "responses": {
              "200": {
                "description": "The ticket after the action.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/ticket/{id}/resume": {
          "parameters": [
            {
              "$ref": "#/components/parameters/TicketId"
            }
          ],
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "resumeTicket",
            "summary": "Resume a paused ticket",
            "description": "A `paused` ticket goes back to the approval that chose its release and its download goes on from what is on disk; other states give 409.",
            "responses": {
              "200": {
                "description": "The ticket after the action.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketView"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/TicketNotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/pause": {
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "pauseAll",
            "summary": "Pause everything",
            "description": "No ticket is claimed any more (kept across restarts); every ticket downloading, waiting to download or converting is paused (`paused_by: pause-all`; a conversion finishes its current tracks first, and keeps them); placements under way finish.",
            "responses": {
              "200": {
                "description": "The pause in force and the tickets changed.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/GlobalPause"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        },
        "/api/v1/resume": {
          "post": {
            "tags": [
              "admin"
            ],
            "operationId": "resumeAll",
            "summary": "End the global pause",
            "description": "Tickets are claimed again; those the global pause stopped resume, tickets paused one by one stay paused.",
            "responses": {
              "200": {
                "description": "The pause in force and the tickets changed.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/GlobalPause"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/StorageUnavailable"
              }
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "`[server] auth_token`, or the token generated at first start and kept next to the database. The header must be exactly `Bearer <token>`."
          },
          "webSocketSubprotocolToken": {
            "type": "apiKey",
            "in": "header",
            "name": "Sec-WebSocket-Protocol",
            "description": "WebSocket upgrades only: the token as a `bearer.<token>` subprotocol entry (e.g. `downloader2.v1, bearer.<token>`), for browsers that cannot set headers."
          }
        },
        "parameters": {
          "TicketId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "A `ticket_id` (as submitted; path used verbatim, not percent-decoded). Unknown ids give 404.",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._:-]{1,128}$",
              "not": {
                "pattern": "^\\.+$"
              }
            }
          }
        },
        "responses": {
          "BadRequest": {
            "description": "Malformed request: the body is empty or not a JSON object (`invalid_json`), or a query parameter is invalid (`invalid_query`, `field` names it).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "Unauthorized": {
            "description": "Missing or wrong `Authorization: Bearer <token>` (`unauthorized`). Sent for every path not open, including unknown ones.",
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string",
                  "const": "Bearer"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "TicketNotFound": {
            "description": "No ticket with this id (`ticket_not_found`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "Conflict": {
            "description": "The transition table does not allow this action from the ticket's current state (`illegal_transition`); nothing changed.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "PayloadTooLarge": {
            "description": "The body is larger than `[server] max_body_bytes` (default 1 MiB; `payload_too_large`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "Unprocessable": {
            "description": "The body is JSON but a field is missing (`missing_field`), has the wrong type or value (`invalid_field`) or fails a rule (`invalid_ticket`, `invalid_candidate_idx`); `field` holds its path.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "InternalError": {
            "description": "Unexpected failure (e.g. the database); logged, answered with `internal_error`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "StorageUnavailable": {
            "description": "The database cannot take writes right now (`storage_unavailable`: its disk is full, it is read-only, an I/O error, a lock held too long). Nothing was stored; send the same request again later.",
            "headers": {
              "Retry-After": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "schemas": {
          "Error": {
            "type": "object",
            "description": "Every error response has this shape (`ErrorMiddleware` + `APIError`).",
            "properties": {
              "error": {
                "type": "object",
                "properties": {
                  "code": {
                    "type": "string",
                    "description": "Stable machine-readable code: `invalid_json`, `invalid_query` (400); `unauthorized` (401); `ticket_not_found`, `not_found` (404); `illegal_transition` (409); `payload_too_large` (413); `missing_field`, `invalid_field`, `invalid_ticket`, `invalid_candidate_idx` (422); `websocket_required` (426); `internal_error` (500); `http_<status>` for other framework errors."
                  },
                  "message": {
                    "type": "string",
                    "description": "Human-readable explanation."
                  },
                  "field": {
                    "type": "string",
                    "description": "JSON path of the offending body field (e.g. `tracks[2].dest_path`, `candidate_idx`) or the name of the offending query parameter (`limit`, `offset`, `state`, `since`). Absent when no single field is at fault; may be the empty string when the whole body is `null`."
                  }
                },
                "required": [
                  "code",
                  "message"
                ]
              }
            },
            "required": [
              "error"
            ]
          },
          "TicketSubmission": {
            "description": "A download ticket as the catalog server submits it (docs/ARCHITECTURE.md#ticket). Keys are snake_case (the decoder uses `convertFromSnakeCase`, so the camelCase spelling of a key is accepted as well); unknown keys are ignored; optional keys may be `null`, which means absent. Besides what the schema says, the server refuses (422 `invalid_ticket`): duplicate `catalog_track_id`s or `catalog_image_id`s, two outputs with the same resolved `dest_path`, a `dest_path` with a `..` component, a NUL byte, a trailing `/` or `.` as last component, and any `dest_path` that does not resolve (symbolic links followed) strictly inside one of the configured `[placer] media_roots` (default `[\"/media\"]`).",
            "allOf": [
              {
                "type": "object",
                "properties": {
                  "ticket_id": {
                    "type": "string",
                    "description": "Client-chosen id, the idempotency key: resubmitting an existing id returns the stored ticket (200). ASCII letters, digits, `-`, `_`, `.`, `:`; not only dots.",
                    "pattern": "^[A-Za-z0-9._:-]{1,128}$",
                    "minLength": 1,
                    "maxLength": 128,
                    "not": {
                      "pattern": "^\\.+$"
                    }
                  },
                  "created_at": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time",
                    "description": "When the catalog created the ticket (RFC 3339; `T` separator required).",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                  },
                  "search": {
                    "$ref": "#/components/schemas/TicketSearchInput"
                  },
                  "tracks": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                      "$ref": "#/components/schemas/TicketTrackInput"
                    }
                  },
                  "images": {
                    "type": [
                      "array",
                      "null"
                    ],
                    "items": {
                      "$ref": "#/components/schemas/TicketImageInput"
                    },
                    "description": "Defaults to `[]`."
                  },
                  "constraints": {
                    "$ref": "#/components/schemas/TicketConstraintsInput"
                  },
                  "metadata_to_embed": {
                    "anyOf": [
                      {
                        "$ref": "#/components/schemas/MetadataToEmbedInput"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "priority": {
                    "type": [
                      "integer",
                      "null"
                    ],
                    "format": "int64",
                    "minimum": -9223372036854775808,
                    "maximum": 9223372036854775807,
                    "description": "Higher runs first; defaults to 0."
                  }
                },
                "required": [
                  "ticket_id",
                  "search",
                  "tracks",
                  "constraints"
                ]
              },
              {
                "description": "Track `dest_path` extensions must fit `constraints.format` (compared case-insensitively).",
                "oneOf": [
                  {
                    "properties": {
                      "constraints": {
                        "properties": {
                          "format": {
                            "const": "ogg_vorbis"
                          }
                        }
                      },
                      "tracks": {
                        "items": {
                          "properties": {
                            "dest_path": {
                              "pattern": "^/.*\\.(?:[oO][gG][gG]|[oO][gG][aA])$"
                            }
                          }
                        }
                      }
                    }
                  },
                  {
                    "properties": {
                      "constraints": {
                        "properties": {
                          "format": {
                            "const": "opus"
                          }
                        }
                      },
                      "tracks": {
                        "items": {
                          "properties": {
                            "dest_path": {
                              "pattern": "^/.*\\.(?:[oO][pP][uU][sS]|[oO][gG][gG])$"
                            }
                          }
                        }
                      }
                    }
                  },
                  {
                    "properties": {
                      "constraints": {
                        "properties": {
                          "format": {
                            "const": "mp3"
                          }
                        }
                      },
                      "tracks": {
                        "items": {
                          "properties": {
                            "dest_path": {
                              "pattern": "^/.*\\.(?:[mM][pP]3)$"
                            }
                          }
                        }
                      }
                    }
                  },
                  {
                    "properties": {
                      "constraints": {
                        "properties": {
                          "format": {
                            "const": "aac"
                          }
                        }
                      },
                      "tracks": {
                        "items": {
                          "properties": {
                            "dest_path": {
                              "pattern": "^/.*\\.(?:[mM]4[aA]|[mM][pP]4|[aA][aA][cC])$"
                            }
                          }
                        }
                      }
                    }
                  },
                  {
                    "properties": {
                      "constraints": {
                        "properties": {
                          "format": {
                            "const": "flac"
                          }
                        }
                      },
                      "tracks": {
                        "items": {
                          "properties": {
                            "dest_path": {
                              "pattern": "^/.*\\.(?:[fF][lL][aA][cC])$"
                            }
                          }
                        }
                      }
                    }
                  },
                  {
                    "properties": {
                      "constraints": {
                        "properties": {
                          "format": {
                            "const": "alac"
                          }
                        }
                      },
                      "tracks": {
                        "items": {
                          "properties": {
                            "dest_path": {
                              "pattern": "^/.*\\.(?:[mM]4[aA])$"
                            }
                          }
                        }
                      }
                    }
                  }
                ]
              }
            ]
          },
          "TicketSearchInput": {
            "type": "object",
            "description": "What to look for on the indexers.",
            "properties": {
              "artist": {
                "type": "string",
                "description": "Must contain a non-whitespace character.",
                "pattern": "\\S"
              },
              "album": {
                "type": "string",
                "description": "Must contain a non-whitespace character.",
                "pattern": "\\S"
              },
              "year": {
                "type": [
                  "integer",
                  "null"
                ],
                "minimum": 1000,
                "maximum": 9999
              },
              "label": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "genres": {
                "type": [
                  "array",
                  "null"
                ],
                "items": {
                  "type": "string"
                }
              }
            },
            "required": [
              "artist",
              "album"
            ]
          },
          "TicketTrackInput": {
            "type": "object",
            "properties": {
              "catalog_track_id": {
                "type": "string",
                "description": "Unique within the ticket; no control characters.",
                "minLength": 1,
                "not": {
                  "pattern": "[\\x00-\\x1f\\x7f-\\x9f]"
                }
              },
              "disc_number": {
                "type": [
                  "integer",
                  "null"
                ],
                "format": "int64",
                "minimum": 1,
                "maximum": 9223372036854775807,
                "description": "Defaults to 1."
              },
              "track_number": {
                "type": "integer",
                "format": "int64",
                "minimum": 1,
                "maximum": 9223372036854775807
              },
              "name": {
                "type": "string",
                "description": "Must contain a non-whitespace character.",
                "pattern": "\\S"
              },
              "duration_secs": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": 0
              },
              "dest_path": {
                "type": "string",
                "description": "Absolute path of the converted file, inside a media root, with an extension fitting the format: ogg_vorbis: .ogg, .oga; opus: .opus, .ogg; mp3: .mp3; aac: .m4a, .mp4, .aac; flac: .flac; alac: .m4a.",
                "minLength": 2
              }
            },
            "required": [
              "catalog_track_id",
              "track_number",
              "name",
              "dest_path"
            ]
          },
          "TicketImageInput": {
            "type": "object",
            "properties": {
              "catalog_image_id": {
                "type": "string",
                "description": "Unique within the ticket; no control characters.",
                "minLength": 1,
                "not": {
                  "pattern": "[\\x00-\\x1f\\x7f-\\x9f]"
                }
              },
              "type": {
                "type": "string",
                "description": "E.g. `cover_front`.",
                "minLength": 1
              },
              "dest_path": {
                "type": "string",
                "description": "Absolute path inside a media root ending in .jpg, .jpeg or .png (any case).",
                "pattern": "^/.*\\.(?:[jJ][pP][eE]?[gG]|[pP][nN][gG])$"
              }
            },
            "required": [
              "catalog_image_id",
              "type",
              "dest_path"
            ]
          },
          "TicketConstraintsInput": {
            "type": "object",
            "properties": {
              "format": {
                "$ref": "#/components/schemas/AudioFormat"
              },
              "bitrate_kbps": {
                "type": [
                  "integer",
                  "null"
                ],
                "minimum": 0,
                "maximum": 1411
              },
              "sample_rate_hz": {
                "type": [
                  "integer",
                  "null"
                ],
                "minimum": 8000,
                "maximum": 384000
              },
              "embed_metadata": {
                "type": [
                  "boolean",
                  "null"
                ],
                "description": "Defaults to true."
              },
              "embed_cover": {
                "type": [
                  "boolean",
                  "null"
                ],
                "description": "Defaults to true."
              }
            },
            "required": [
              "format"
            ]
          },
          "MetadataToEmbedInput": {
            "type": "object",
            "properties": {
              "artist": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "album": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "album_artist": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "year": {
                "type": [
                  "integer",
                  "null"
                ],
                "format": "int64",
                "minimum": -9223372036854775808,
                "maximum": 9223372036854775807
              },
              "genre": {
                "type": [
                  "string",
                  "null"
                ]
              }
            }
          },
          "AudioFormat": {
            "type": "string",
            "enum": [
              "ogg_vorbis",
              "opus",
              "mp3",
              "aac",
              "flac",
              "alac"
            ]
          },
          "Ticket": {
            "type": "object",
            "description": "The submitted ticket as decoded and re-encoded by the server (defaults filled in; absent optionals omitted).",
            "properties": {
              "ticket_id": {
                "type": "string"
              },
              "created_at": {
                "type": "string",
                "format": "date-time"
              },
              "search": {
                "$ref": "#/components/schemas/TicketSearch"
              },
              "tracks": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TicketTrack"
                }
              },
              "images": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TicketImage"
                }
              },
              "constraints": {
                "$ref": "#/components/schemas/TicketConstraints"
              },
              "metadata_to_embed": {
                "$ref": "#/components/schemas/MetadataToEmbed"
              },
              "priority": {
                "type": "integer"
              }
            },
            "required": [
              "ticket_id",
              "search",
              "tracks",
              "images",
              "constraints"
            ]
          },
          "TicketSearch": {
            "type": "object",
            "properties": {
              "artist": {
                "type": "string"
              },
              "album": {
                "type": "string"
              },
              "year": {
                "type": "integer"
              },
              "label": {
                "type": "string"
              },
              "genres": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              }
            },
            "required": [
              "artist",
              "album"
            ]
          },
          "TicketTrack": {
            "type": "object",
            "properties": {
              "catalog_track_id": {
                "type": "string"
              },
              "disc_number": {
                "type": "integer"
              },
              "track_number": {
                "type": "integer"
              },
              "name": {
                "type": "string"
              },
              "duration_secs": {
                "type": "number"
              },
              "dest_path": {
                "type": "string"
              }
            },
            "required": [
              "catalog_track_id",
              "disc_number",
              "track_number",
              "name",
              "dest_path"
            ]
          },
          "TicketImage": {
            "type": "object",
            "properties": {
              "catalog_image_id": {
                "type": "string"
              },
              "type": {
                "type": "string"
              },
              "dest_path": {
                "type": "string"
              }
            },
            "required": [
              "catalog_image_id",
              "type",
              "dest_path"
            ]
          },
          "TicketConstraints": {
            "type": "object",
            "properties": {
              "format": {
                "$ref": "#/components/schemas/AudioFormat"
              },
              "bitrate_kbps": {
                "type": "integer"
              },
              "sample_rate_hz": {
                "type": "integer"
              },
              "embed_metadata": {
                "type": "boolean"
              },
              "embed_cover": {
                "type": "boolean"
              }
            },
            "required": [
              "format",
              "embed_metadata",
              "embed_cover"
            ]
          },
          "MetadataToEmbed": {
            "type": "object",
            "properties": {
              "artist": {
                "type": "string"
              },
              "album": {
                "type": "string"
              },
              "album_artist": {
                "type": "string"
              },
              "year": {
                "type": "integer"
              },
              "genre": {
                "type": "string"
              }
            }
          },
          "TicketStateName": {
            "type": "string",
            "enum": [
              "pending",
              "searching",
              "matching",
              "needs_approval",
              "wanted",
              "auto_approved",
              "approved",
              "rejected",
              "downloading",
              "paused",
              "converting",
              "placing",
              "completed",
              "failed",
              "cancelled"
            ]
          },
          "TicketErrorEntry": {
            "type": "object",
            "description": "One remembered failure (the last three are kept).",
            "properties": {
              "timestamp": {
                "type": "string",
                "format": "date-time"
              },
              "state": {
                "$ref": "#/components/schemas/TicketStateName"
              },
              "code": {
                "type": "string"
              },
              "message": {
                "type": "string"
              },
              "retry_count": {
                "type": "integer"
              }
            },
            "required": [
              "timestamp",
              "state",
              "code",
              "message",
              "retry_count"
            ]
          },
          "TicketView": {
            "description": "How the API shows a ticket: state and state details, queue bookkeeping, the submitted ticket, and (only for `GET /api/v1/ticket/{id}`) its event history. `state_details` has the shape named by `state`.",
            "allOf": [
              {
                "type": "object",
                "properties": {
                  "ticket_id": {
                    "type": "string"
                  },
                  "state": {
                    "$ref": "#/components/schemas/TicketStateName"
                  },
                  "state_details": {
                    "type": "object",
                    "description": "Shape depends on `state` (see the StateDetails* schemas)."
                  },
                  "priority": {
                    "type": "integer"
                  },
                  "retry_count": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "wait_until": {
                    "type": "string",
                    "format": "date-time",
                    "description": "Not claimed before this time (backoff after a retryable error); absent when none."
                  },
                  "error_message": {
                    "type": "string",
                    "description": "Latest error; absent when none."
                  },
                  "error_history": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/TicketErrorEntry"
                    },
                    "maxItems": 3
                  },
                  "search_query": {
                    "type": "string",
                    "description": "An operator's search query overriding the ticket's own (force-search)."
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "updated_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "ticket": {
                    "$ref": "#/components/schemas/Ticket"
                  },
                  "history": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/TicketEvent"
                    },
                    "description": "Only in `GET /api/v1/ticket/{id}`: every stored event, in `seq` order."
                  }
                },
                "required": [
                  "ticket_id",
                  "state",
                  "state_details",
                  "priority",
                  "retry_count",
                  "error_history",
                  "created_at",
                  "updated_at",
                  "ticket"
                ]
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "pending"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsPending"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "searching"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsSearching"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "matching"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsMatching"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "needs_approval"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsNeedsApproval"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "auto_approved"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsAutoApproved"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "approved"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsApproved"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "rejected"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsRejected"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "downloading"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsDownloading"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "converting"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsConverting"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "placing"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsPlacing"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "completed"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsCompleted"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "failed"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsFailed"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "cancelled"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsCancelled"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "paused"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsPaused"
                    }
                  }
                }
              },
              {
                "if": {
                  "properties": {
                    "state": {
                      "const": "wanted"
                    }
                  },
                  "required": [
                    "state"
                  ]
                },
                "then": {
                  "properties": {
                    "state_details": {
                      "$ref": "#/components/schemas/StateDetailsWanted"
                    }
                  }
                }
              }
            ]
          },
          "TicketList": {
            "type": "object",
            "description": "A page of tickets, newest first.",
            "properties": {
              "tickets": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TicketView"
                }
              },
              "total": {
                "type": "integer",
                "minimum": 0,
                "description": "How many tickets match the filter in all."
              },
              "limit": {
                "type": "integer"
              },
              "offset": {
                "type": "integer"
              }
            },
            "required": [
              "tickets",
              "total",
              "limit",
              "offset"
            ]
          },
          "TicketEvent": {
            "type": "object",
            "description": "One entry of a ticket's append-only history.",
            "properties": {
              "ticket_id": {
                "type": "string"
              },
              "seq": {
                "type": "integer",
                "minimum": 0,
                "description": "Strictly increasing per ticket from 1; 0 for live-only `progress` snapshots (WebSocket)."
              },
              "type": {
                "type": "string",
                "enum": [
                  "created",
                  "state_change",
                  "progress",
                  "needs_approval",
                  "recovered",
                  "retry_scheduled",
                  "fallback",
                  "search_query_set",
                  "rss_match",
                  "verified"
                ]
              },
              "payload": {
                "description": "Any JSON value, an object in practice: `created` {state}; `state_change` {old_state, new_state, details}; `needs_approval` the needs_approval details; `recovered` {interrupted_state, resumed_state | reason}; `search_query_set` {query}; `rss_match` {title, indexer, info_hash, agreement}; `progress` {stage, ...}; `retry_scheduled`, `fallback` objects; `verified` {accepted, verdict, files: [{path, codec, sample_rate, bits_per_sample, duration_secs, expected_secs, lossless, verdict, cutoff_hz, drop_db, evidence}], problems}."
              },
              "at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "ticket_id",
              "seq",
              "type",
              "payload",
              "at"
            ]
          },
          "EventList": {
            "type": "object",
            "properties": {
              "ticket_id": {
                "type": "string"
              },
              "events": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TicketEvent"
                }
              }
            },
            "required": [
              "ticket_id",
              "events"
            ]
          },
          "TorrentFileEntry": {
            "type": "object",
            "properties": {
              "path": {
                "type": "string"
              },
              "size_bytes": {
                "type": "integer"
              },
              "duration_secs": {
                "type": "number"
              }
            },
            "required": [
              "path",
              "size_bytes"
            ]
          },
          "TorrentCandidate": {
            "type": "object",
            "description": "A release found on an indexer.",
            "properties": {
              "title": {
                "type": "string"
              },
              "indexer": {
                "type": "string"
              },
              "magnet_uri": {
                "type": "string"
              },
              "download_url": {
                "type": "string"
              },
              "info_hash": {
                "type": "string"
              },
              "size_bytes": {
                "type": "integer"
              },
              "seeders": {
                "type": "integer"
              },
              "leechers": {
                "type": "integer"
              },
              "files": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TorrentFileEntry"
                }
              },
              "files_source": {
                "type": "string",
                "description": "`indexer`, `torrent_file` or `magnet_metadata`."
              },
              "files_unavailable_reason": {
                "type": "string"
              },
              "cue_sheets": {
                "type": "object",
                "additionalProperties": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "description": "Track titles of each CUE sheet, by sheet path."
              },
              "rip_logs": {
                "type": "array",
                "description": "EAC/XLD logs of a lossless release, read before the download.",
                "items": {
                  "type": "object",
                  "properties": {
                    "path": { "type": "string" },
                    "summary": { "type": "string" },
                    "clean": { "type": "boolean" },
                    "accurate_rip_verified": { "type": "boolean" }
                  },
                  "required": ["path", "summary", "clean", "accurate_rip_verified"]
                }
              },
              "publish_date": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "title",
              "indexer",
              "info_hash",
              "size_bytes",
              "seeders",
              "leechers"
            ]
          },
          "TrackMapping": {
            "type": "object",
            "properties": {
              "catalog_track_id": {
                "type": "string"
              },
              "torrent_file_path": {
                "type": "string"
              },
              "cue_track": {
                "type": "integer"
              },
              "confidence": {
                "type": "number"
              }
            },
            "required": [
              "catalog_track_id",
              "torrent_file_path",
              "confidence"
            ]
          },
          "ScoredCandidate": {
            "type": "object",
            "properties": {
              "torrent": {
                "$ref": "#/components/schemas/TorrentCandidate"
              },
              "score": {
                "type": "number"
              },
              "track_mapping": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TrackMapping"
                }
              },
              "reasoning": {
                "type": "string"
              }
            },
            "required": [
              "torrent",
              "score",
              "track_mapping",
              "reasoning"
            ]
          },
          "ApprovalReason": {
            "description": "Why the best candidate was not approved automatically.",
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "kind": {
                    "const": "low_confidence"
                  },
                  "score": {
                    "type": "number"
                  },
                  "threshold": {
                    "type": "number"
                  }
                },
                "required": [
                  "kind",
                  "score",
                  "threshold"
                ]
              },
              {
                "type": "object",
                "properties": {
                  "kind": {
                    "const": "track_count_mismatch"
                  },
                  "expected": {
                    "type": "integer"
                  },
                  "found": {
                    "type": "integer"
                  }
                },
                "required": [
                  "kind",
                  "expected",
                  "found"
                ]
              },
              {
                "type": "object",
                "properties": {
                  "kind": {
                    "const": "duration_mismatch"
                  },
                  "expected_secs": {
                    "type": "integer"
                  },
                  "found_secs": {
                    "type": "integer"
                  }
                },
                "required": [
                  "kind",
                  "expected_secs",
                  "found_secs"
                ]
              },
              {
                "type": "object",
                "properties": {
                  "kind": {
                    "const": "name_similarity_low"
                  },
                  "similarity": {
                    "type": "number"
                  }
                },
                "required": [
                  "kind",
                  "similarity"
                ]
              },
              {
                "type": "object",
                "properties": {
                  "kind": {
                    "const": "multiple_good_matches"
                  },
                  "top_scores": {
                    "type": "array",
                    "items": {
                      "type": "number"
                    }
                  }
                },
                "required": [
                  "kind",
                  "top_scores"
                ]
              },
              {
                "type": "object",
                "properties": {
                  "kind": {
                    "const": "no_exact_match"
                  }
                },
                "required": [
                  "kind"
                ]
              },
              {
                "type": "object",
                "properties": {
                  "kind": {
                    "const": "verification_failed"
                  },
                  "detail": {
                    "type": "string"
                  }
                },
                "required": [
                  "kind",
                  "detail"
                ]
              }
            ]
          },
          "CompletionStats": {
            "type": "object",
            "properties": {
              "total_download_bytes": {
                "type": "integer"
              },
              "download_duration_secs": {
                "type": "integer"
              },
              "conversion_duration_secs": {
                "type": "integer"
              },
              "final_size_bytes": {
                "type": "integer"
              },
              "tracks_converted_during_download": {
                "type": "integer"
              }
            },
            "required": [
              "total_download_bytes",
              "download_duration_secs",
              "conversion_duration_secs",
              "final_size_bytes"
            ]
          },
          "MissingItem": {
            "type": "object",
            "properties": {
              "kind": {
                "type": "string",
                "description": "`track` or `image`."
              },
              "catalog_id": {
                "type": "string"
              },
              "dest_path": {
                "type": "string"
              },
              "reason": {
                "type": "string"
              }
            },
            "required": [
              "kind",
              "catalog_id",
              "dest_path",
              "reason"
            ]
          },
          "StateDetailsPending": {
            "type": "object",
            "description": "`state_details` when `state` is `pending`.",
            "properties": {
              "since": {
                "type": "string",
                "format": "date-time"
              },
              "note": {
                "type": "string",
                "description": "Why it is queued again (restart, retry, force-search)."
              }
            },
            "required": [
              "since"
            ]
          },
          "StateDetailsSearching": {
            "type": "object",
            "description": "`state_details` when `state` is `searching`.",
            "properties": {
              "started_at": {
                "type": "string",
                "format": "date-time"
              },
              "query": {
                "type": "string"
              }
            },
            "required": [
              "started_at"
            ]
          },
          "StateDetailsMatching": {
            "type": "object",
            "description": "`state_details` when `state` is `matching`.",
            "properties": {
              "candidates": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TorrentCandidate"
                }
              },
              "started_at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "candidates",
              "started_at"
            ]
          },
          "StateDetailsNeedsApproval": {
            "type": "object",
            "description": "`state_details` when `state` is `needs_approval`.",
            "properties": {
              "candidates": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ScoredCandidate"
                }
              },
              "recommended_idx": {
                "type": "integer"
              },
              "confidence": {
                "type": "number"
              },
              "reason": {
                "$ref": "#/components/schemas/ApprovalReason"
              },
              "waiting_since": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "candidates",
              "recommended_idx",
              "confidence",
              "reason",
              "waiting_since"
            ]
          },
          "StateDetailsAutoApproved": {
            "type": "object",
            "description": "`state_details` when `state` is `auto_approved`.",
            "properties": {
              "selected": {
                "$ref": "#/components/schemas/ScoredCandidate"
              },
              "confidence": {
                "type": "number"
              },
              "alternatives": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ScoredCandidate"
                }
              }
            },
            "required": [
              "selected",
              "confidence"
            ]
          },
          "StateDetailsApproved": {
            "type": "object",
            "description": "`state_details` when `state` is `approved`.",
            "properties": {
              "selected": {
                "$ref": "#/components/schemas/ScoredCandidate"
              },
              "approved_by": {
                "type": "string"
              },
              "approved_at": {
                "type": "string",
                "format": "date-time"
              },
              "alternatives": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ScoredCandidate"
                }
              }
            },
            "required": [
              "selected",
              "approved_by",
              "approved_at"
            ]
          },
          "StateDetailsRejected": {
            "type": "object",
            "description": "`state_details` when `state` is `rejected`.",
            "properties": {
              "rejected_by": {
                "type": "string"
              },
              "reason": {
                "type": "string"
              },
              "rejected_at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "rejected_by",
              "rejected_at"
            ]
          },
          "StateDetailsDownloading": {
            "type": "object",
            "description": "`state_details` when `state` is `downloading`.",
            "properties": {
              "torrent_hash": {
                "type": "string"
              },
              "progress_pct": {
                "type": "number"
              },
              "download_speed_bps": {
                "type": "integer"
              },
              "eta_secs": {
                "type": "integer"
              },
              "started_at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "torrent_hash",
              "progress_pct",
              "download_speed_bps",
              "started_at"
            ]
          },
          "StateDetailsConverting": {
            "type": "object",
            "description": "`state_details` when `state` is `converting`.",
            "properties": {
              "current_track_idx": {
                "type": "integer"
              },
              "total_tracks": {
                "type": "integer"
              },
              "current_track_name": {
                "type": "string"
              },
              "started_at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "current_track_idx",
              "total_tracks",
              "current_track_name",
              "started_at"
            ]
          },
          "StateDetailsPlacing": {
            "type": "object",
            "description": "`state_details` when `state` is `placing`.",
            "properties": {
              "files_placed": {
                "type": "integer"
              },
              "total_files": {
                "type": "integer"
              },
              "started_at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "files_placed",
              "total_files",
              "started_at"
            ]
          },
          "StateDetailsCompleted": {
            "type": "object",
            "description": "`state_details` when `state` is `completed`.",
            "properties": {
              "completed_at": {
                "type": "string",
                "format": "date-time"
              },
              "stats": {
                "$ref": "#/components/schemas/CompletionStats"
              },
              "flagged": {
                "type": "boolean"
              },
              "missing": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/MissingItem"
                }
              }
            },
            "required": [
              "completed_at",
              "stats"
            ]
          },
          "StateDetailsFailed": {
            "type": "object",
            "description": "`state_details` when `state` is `failed`.",
            "properties": {
              "failed_at_state": {
                "$ref": "#/components/schemas/TicketStateName"
              },
              "code": {
                "type": "string",
                "description": "E.g. `not_implemented`, `no_candidates`, `disk_full`."
              },
              "error": {
                "type": "string"
              },
              "retryable": {
                "type": "boolean"
              },
              "retry_count": {
                "type": "integer"
              },
              "failed_at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "failed_at_state",
              "code",
              "error",
              "retryable",
              "retry_count",
              "failed_at"
            ]
          },
          "StateDetailsCancelled": {
            "type": "object",
            "description": "`state_details` when `state` is `cancelled`.",
            "properties": {
              "cancelled_at": {
                "type": "string",
                "format": "date-time"
              },
              "cancelled_at_state": {
                "$ref": "#/components/schemas/TicketStateName"
              }
            },
            "required": [
              "cancelled_at",
              "cancelled_at_state"
            ]
          },
          "ApproveRequest": {
            "type": "object",
            "description": "Optional body: an empty body means `{}`.",
            "properties": {
              "candidate_idx": {
                "type": [
                  "integer",
                  "null"
                ],
                "minimum": 0,
                "maximum": 9223372036854775807,
                "description": "Index into `state_details.candidates`; absent or null: the recommended one."
              }
            }
          },
          "RejectRequest": {
            "type": "object",
            "description": "Optional body: an empty body means `{}`.",
            "properties": {
              "reason": {
                "type": [
                  "string",
                  "null"
                ]
              }
            }
          },
          "ForceSearchRequest": {
            "type": "object",
            "properties": {
              "query": {
                "type": "string",
                "description": "New search query; trimmed, must not be blank.",
                "pattern": "\\S"
              }
            },
            "required": [
              "query"
            ]
          },
          "Health": {
            "type": "object",
            "properties": {
              "status": {
                "type": "string",
                "enum": [
                  "ok",
                  "degraded"
                ]
              },
              "database": {
                "type": "string",
                "description": "`ok`, or `error: <reason>` when the database ping failed."
              },
              "version": {
                "type": "string"
              }
            },
            "required": [
              "status",
              "database",
              "version"
            ]
          },
          "Nodes": {
            "type": "object",
            "properties": {
              "database": {
                "type": "string",
                "enum": [
                  "postgresql",
                  "sqlite"
                ]
              },
              "this_node": {
                "type": "string"
              },
              "nodes": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "started_at": {
                      "type": "string",
                      "format": "date-time"
                    },
                    "heartbeat_at": {
                      "type": "string",
                      "format": "date-time"
                    },
                    "alive": {
                      "type": "boolean"
                    },
                    "max_parallel_downloads": {
                      "type": "integer"
                    },
                    "address": {
                      "type": "string"
                    },
                    "tickets": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    }
                  },
                  "required": [
                    "id",
                    "started_at",
                    "heartbeat_at",
                    "alive",
                    "max_parallel_downloads",
                    "address",
                    "tickets"
                  ]
                }
              }
            },
            "required": [
              "database",
              "this_node",
              "nodes"
            ]
          },
          "Stats": {
            "type": "object",
            "properties": {
              "total": {
                "type": "integer",
                "minimum": 0
              },
              "by_state": {
                "type": "object",
                "description": "Ticket count for every state (zero included).",
                "properties": {
                  "pending": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "searching": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "matching": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "needs_approval": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "auto_approved": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "approved": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "rejected": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "downloading": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "converting": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "placing": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "completed": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "failed": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "cancelled": {
                    "type": "integer",
                    "minimum": 0
                  }
                },
                "required": [
                  "pending",
                  "searching",
                  "matching",
                  "needs_approval",
                  "auto_approved",
                  "approved",
                  "rejected",
                  "downloading",
                  "converting",
                  "placing",
                  "completed",
                  "failed",
                  "cancelled"
                ]
              },
              "oldest_pending_age_secs": {
                "type": "integer",
                "minimum": 0,
                "description": "Age of the oldest pending ticket; absent when none is pending."
              },
              "active_tickets": {
                "type": "integer",
                "minimum": 0
              },
              "bandwidth": {
                "type": "object",
                "description": "The speed limits in force (0: unlimited): `normal` ([torrent] max_*_kbps) or `alternative` while `alt_schedule` is active.",
                "properties": {
                  "limit": {
                    "type": "string",
                    "enum": [
                      "normal",
                      "alternative"
                    ]
                  },
                  "download_kbps": {
                    "type": "integer"
                  },
                  "upload_kbps": {
                    "type": "integer"
                  },
                  "schedule": {
                    "type": "string"
                  }
                },
                "required": [
                  "limit",
                  "download_kbps",
                  "upload_kbps",
                  "schedule"
                ]
              },
              "paused_all": {
                "type": "boolean",
                "description": "Everything paused (`POST /api/v1/pause`): no ticket is claimed."
              },
              "rss_sync": {
                "type": "object",
                "description": "The last read of the indexers' recent-release feeds (`[wanted] rss_interval_mins`); absent before the first.",
                "properties": {
                  "at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "items_read": {
                    "type": "integer"
                  },
                  "new_items": {
                    "type": "integer"
                  },
                  "triggered": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "Wanted tickets sent to search because a new item looked like them."
                  },
                  "failures": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                },
                "required": [
                  "at",
                  "items_read",
                  "new_items",
                  "triggered",
                  "failures"
                ]
              }
            },
            "required": [
              "total",
              "by_state",
              "active_tickets",
              "paused_all"
            ]
          },
          "Config": {
            "type": "object",
            "description": "The configuration in force, by TOML section, secrets redacted.",
            "properties": {
              "server": {
                "type": "object",
                "properties": {
                  "host": {
                    "type": "string"
                  },
                  "port": {
                    "type": "integer"
                  },
                  "auth_token": {
                    "type": "string",
                    "description": "`***` when set, empty string when not."
                  },
                  "max_body_bytes": {
                    "type": "integer"
                  }
                },
                "required": [
                  "host",
                  "port",
                  "auth_token",
                  "max_body_bytes"
                ]
              },
              "database": {
                "type": "object",
                "properties": {
                  "path": {
                    "type": "string"
                  }
                },
                "required": [
                  "path"
                ]
              },
              "jackett": {
                "type": "object",
                "properties": {
                  "url": {
                    "type": "string"
                  },
                  "api_key": {
                    "type": "string",
                    "description": "`***` when set, empty string when not."
                  },
                  "timeout_secs": {
                    "type": "integer"
                  }
                },
                "required": [
                  "url",
                  "api_key",
                  "timeout_secs"
                ]
              },
              "torznab": {
                "type": "object",
                "properties": {
                  "feeds": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "Feed URLs with known secrets and secret-looking query values shown as `***`."
                  },
                  "timeout_secs": {
                    "type": "integer"
                  }
                },
                "required": [
                  "feeds",
                  "timeout_secs"
                ]
              },
              "torrent": {
                "type": "object",
                "properties": {
                  "download_path": {
                    "type": "string"
                  },
                  "listen_interfaces": {
                    "type": "string"
                  },
                  "enable_dht": {
                    "type": "boolean"
                  },
                  "dht_bootstrap_nodes": {
                    "type": "string"
                  },
                  "enable_lsd": {
                    "type": "boolean"
                  },
                  "enable_upnp": {
                    "type": "boolean"
                  },
                  "enable_natpmp": {
                    "type": "boolean"
                  },
                  "seed_ratio_limit": {
                    "type": "number"
                  },
                  "seed_time_limit_mins": {
                    "type": "integer"
                  },
                  "keep_payload": {
                    "type": "boolean"
                  },
                  "metadata_timeout_secs": {
                    "type": "integer"
                  },
                  "stall_timeout_secs": {
                    "type": "integer"
                  },
                  "max_download_kbps": {
                    "type": "integer"
                  },
                  "max_upload_kbps": {
                    "type": "integer"
                  },
                  "connections_limit": {
                    "type": "integer"
                  },
                  "alt_download_kbps": {
                    "type": "integer"
                  },
                  "alt_upload_kbps": {
                    "type": "integer"
                  },
                  "alt_schedule": {
                    "type": "string",
                    "description": "When the alternative limits apply, e.g. `Mon-Fri 08:00-23:00` (local time); empty: never."
                  }
                },
                "required": [
                  "download_path",
                  "listen_interfaces",
                  "enable_dht",
                  "dht_bootstrap_nodes",
                  "enable_lsd",
                  "enable_upnp",
                  "enable_natpmp",
                  "seed_ratio_limit",
                  "seed_time_limit_mins",
                  "keep_payload",
                  "metadata_timeout_secs",
                  "stall_timeout_secs",
                  "max_download_kbps",
                  "max_upload_kbps",
                  "connections_limit",
                  "alt_download_kbps",
                  "alt_upload_kbps",
                  "alt_schedule"
                ]
              },
              "matcher": {
                "type": "object",
                "properties": {
                  "llm_provider": {
                    "type": "string"
                  },
                  "llm_model": {
                    "type": "string"
                  },
                  "api_key": {
                    "type": "string",
                    "description": "`***` when set, empty string when not."
                  },
                  "base_url": {
                    "type": "string"
                  },
                  "llm_timeout_secs": {
                    "type": "integer"
                  },
                  "auto_approve_threshold": {
                    "type": "number"
                  }
                },
                "required": [
                  "llm_provider",
                  "llm_model",
                  "api_key",
                  "base_url",
                  "llm_timeout_secs",
                  "auto_approve_threshold"
                ]
              },
              "converter": {
                "type": "object",
                "properties": {
                  "temp_dir": {
                    "type": "string"
                  },
                  "max_parallel_conversions": {
                    "type": "integer"
                  },
                  "duration_tolerance_secs": {
                    "type": "number"
                  }
                },
                "required": [
                  "temp_dir",
                  "max_parallel_conversions",
                  "duration_tolerance_secs"
                ]
              },
              "processing": {
                "type": "object",
                "properties": {
                  "max_parallel_tickets": {
                    "type": "integer"
                  },
                  "max_parallel_downloads": {
                    "type": "integer"
                  },
                  "partial_success": {
                    "type": "string"
                  },
                  "check_interval_secs": {
                    "type": "integer"
                  },
                  "retry_max_attempts": {
                    "type": "integer"
                  },
                  "retry_initial_delay_secs": {
                    "type": "integer"
                  },
                  "retry_max_delay_secs": {
                    "type": "integer"
                  }
                },
                "required": [
                  "max_parallel_tickets",
                  "max_parallel_downloads",
                  "partial_success",
                  "check_interval_secs",
                  "retry_max_attempts",
                  "retry_initial_delay_secs",
                  "retry_max_delay_secs"
                ]
              },
              "placer": {
                "type": "object",
                "properties": {
                  "media_roots": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "overwrite": {
                    "type": "boolean"
                  },
                  "file_mode": {
                    "type": "string"
                  },
                  "dir_mode": {
                    "type": "string"
                  },
                  "owner": {
                    "type": "string"
                  }
                },
                "required": [
                  "media_roots",
                  "overwrite",
                  "file_mode",
                  "dir_mode",
                  "owner"
                ]
              },
              "verify": {
                "type": "object",
                "properties": {
                  "fake_lossless": {
                    "type": "string",
                    "enum": [
                      "reject",
                      "flag",
                      "off"
                    ]
                  }
                },
                "required": [
                  "fake_lossless"
                ]
              },
              "notify": {
                "type": "array",
                "description": "`[[notify]]` targets; secrets and passwords as `***`.",
                "items": {
                  "type": "object",
                  "properties": {
                    "type": {
                      "type": "string",
                      "enum": [
                        "webhook",
                        "subsonic"
                      ]
                    },
                    "url": {
                      "type": "string"
                    },
                    "attempts": {
                      "type": "integer"
                    },
                    "events": {
                      "type": "array",
                      "items": {
                        "type": "string",
                        "enum": [
                          "completed",
                          "failed",
                          "needs_approval",
                          "wanted"
                        ]
                      }
                    },
                    "secret": {
                      "type": "string"
                    },
                    "username": {
                      "type": "string"
                    },
                    "password": {
                      "type": "string"
                    },
                    "scan_interval_secs": {
                      "type": "number"
                    }
                  },
                  "required": [
                    "type",
                    "url",
                    "attempts"
                  ]
                }
              }
            },
            "required": [
              "server",
              "database",
              "jackett",
              "torznab",
              "torrent",
              "matcher",
              "converter",
              "processing",
              "placer",
              "verify",
              "notify"
            ]
          },
          "OpenAPIDocument": {
            "type": "object",
            "description": "This document.",
            "required": [
              "openapi",
              "info",
              "paths"
            ],
            "properties": {
              "openapi": {
                "type": "string"
              },
              "info": {
                "type": "object"
              },
              "paths": {
                "type": "object"
              }
            }
          },
          "HealthCheck": {
            "type": "object",
            "required": [
              "check",
              "subject",
              "status",
              "message"
            ],
            "properties": {
              "check": {
                "type": "string",
                "description": "media_root, free_space, same_file_system, indexer, listen_port (doctor only), encoder, config (doctor only)"
              },
              "subject": {
                "type": "string"
              },
              "status": {
                "type": "string",
                "enum": [
                  "ok",
                  "warning",
                  "error"
                ]
              },
              "message": {
                "type": "string"
              },
              "hint": {
                "type": "string"
              }
            }
          },
          "HealthReport": {
            "type": "object",
            "required": [
              "status",
              "checks"
            ],
            "properties": {
              "checked_at": {
                "type": "string",
                "format": "date-time"
              },
              "status": {
                "type": "string",
                "enum": [
                  "ok",
                  "warning",
                  "error"
                ]
              },
              "checks": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/HealthCheck"
                }
              }
            }
          },
          "BlocklistEntry": {
            "type": "object",
            "properties": {
              "info_hash": {
                "type": "string"
              },
              "title": {
                "type": "string"
              },
              "reason": {
                "type": "string"
              },
              "evidence": {
                "description": "What the verification found (per-track verdicts, durations…); `{}` for an operator's entry."
              },
              "artist": {
                "type": "string"
              },
              "album": {
                "type": "string"
              },
              "source": {
                "type": "string",
                "enum": [
                  "verification",
                  "operator"
                ]
              },
              "ticket_id": {
                "type": "string"
              },
              "created_at": {
                "type": "string",
                "format": "date-time"
              }
            },
            "required": [
              "info_hash",
              "reason",
              "evidence",
              "source",
              "created_at"
            ]
          },
          "Blocklist": {
            "type": "object",
            "properties": {
              "entries": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/BlocklistEntry"
                }
              },
              "count": {
                "type": "integer",
                "minimum": 0
              }
            },
            "required": [
              "entries",
              "count"
            ]
          },
          "BlocklistRequest": {
            "type": "object",
            "properties": {
              "info_hash": {
                "type": "string",
                "description": "40 (v1) or 64 (v2) hexadecimal digits."
              },
              "reason": {
                "type": "string",
                "minLength": 1,
                "maxLength": 2000
              },
              "title": {
                "type": "string"
              },
              "artist": {
                "type": "string",
                "description": "Scope: only with `album`."
              },
              "album": {
                "type": "string",
                "description": "Scope: drop the release only from this album's searches."
              }
            },
            "required": [
              "info_hash",
              "reason"
            ]
          },
          "StateDetailsPaused": {
            "type": "object",
            "properties": {
              "paused_from": {
                "type": "string",
                "enum": [
                  "downloading",
                  "approved",
                  "auto_approved"
                ]
              },
              "paused_at": {
                "type": "string",
                "format": "date-time"
              },
              "paused_by": {
                "type": "string"
              }
            },
            "required": [
              "paused_from",
              "paused_at",
              "paused_by"
            ]
          },
          "GlobalPause": {
            "type": "object",
            "properties": {
              "paused_all": {
                "type": "boolean"
              },
              "tickets": {
                "type": "array",
                "items": {
                  "type": "string"
                },
                "description": "The tickets this call paused or resumed."
              }
            },
            "required": [
              "paused_all",
              "tickets"
            ]
          },
          "StateDetailsWanted": {
            "type": "object",
            "properties": {
              "reason": {
                "type": "string"
              },
              "next_search_at": {
                "type": "string",
                "format": "date-time"
              },
              "searches": {
                "type": "integer",
                "minimum": 1
              }
            },
            "required": [
              "reason",
              "next_search_at",
              "searches"
            ]
          }
        }
      }
    }
    """##
}
