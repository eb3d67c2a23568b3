import Foundation
import Project
@testable import Ops
import Testing
import Warehouse

/// `opsflow load`: the contract, quarantine, the ledger, malformed files.
/// Expected values follow from how each fixture file is built (each bad record is placed on a
/// known line with a known defect); timestamps are checked against Python's `datetime`.
@Suite struct SourceLoaderTests {
    let header = "id,amount,paid,day,created,note\n"

    @Test func goodCSVLoadsEveryRowTyped() throws {
        let f = try LoadFixture()
        let file = try f.dir.write("orders.csv", header
            + "1,9.5,true,2026-11-30,2026-11-30T06:00:00+02:00,first\n"
            + "2,,FALSE,,2026-11-30 07:15:00,\"quoted, with comma\"\n"
            + "3,-1e3,1,2024-02-29,2026-11-30,\"multi\nline\"\n")
        let results = try f.loader.load(LoadFixture.orders, files: [file])
        #expect(results.map(\.loadedRows) == [3])
        #expect(results.map(\.quarantinedRows) == [0])
        let rows = try f.rows("select id, amount, paid, day, created, note from \"raw.orders\" order by id")
        #expect(rows == [
            [.integer(1), .real(9.5), .bool(true), .text("2026-11-30"), .text("2026-11-30 04:00:00"), .text("first")],
            [.integer(2), .null, .bool(false), .null, .text("2026-11-30 07:15:00"), .text("quoted, with comma")],
            [.integer(3), .real(-1000), .bool(true), .text("2024-02-29"), .text("2026-11-30 00:00:00"), .text("multi\nline")],
        ])
    }

    @Test func malformedRowsAreQuarantinedWithFileLineAndReason() throws {
        let f = try LoadFixture()
        var bytes = Array(header.utf8)
        let lines: [[UInt8]] = [
            Array("10,1.0,true,2026-01-01,2026-01-01 00:00:00,ok\n".utf8),              // line 2: ok
            Array("eleven,1.0,true,2026-01-01,2026-01-01 00:00:00,bad int\n".utf8),     // line 3: wrong type
            Array("12,1.0,true,2026-01-01,yesterday,bad ts\n".utf8),                    // line 4: unparsable timestamp
            Array("13,1.0,true,2026-01-01,,missing required\n".utf8),                   // line 5: NULL in required
            Array("14,1.0,true\n".utf8),                                                 // line 6: ragged (3 fields)
            Array("15,1.0,true,2026-01-01,2026-01-01 00:00:00,x,extra\n".utf8),         // line 7: ragged (7 fields)
            Array("16,1.0,true,2026-01-01,2026-01-01 00:00:00,caf".utf8) + [0xE9] + Array(" latin-1\n".utf8), // line 8: bad UTF-8
            Array("17,1.0,maybe,2026-02-30,2026-01-01 00:00:00,bool and date\n".utf8),  // line 9: two violations
            Array("18,2.5,false,2026-01-02,2026-01-02 10:00:00,ok\n".utf8),             // line 10: ok
        ]
        for line in lines { bytes += line }
        let file = try f.dir.write("bad.csv", bytes)
        let result = try #require(try f.loader.load(LoadFixture.orders, files: [file]).first)
        #expect(result.loadedRows == 2)
        #expect(result.quarantinedRows == 7)
        #expect(result.rowsInFile == lines.count)
        #expect(try f.count("\"raw.orders\"") == 2)
        let quarantined = try f.rows("select file_name, line, reason from \"raw.orders__quarantine\" order by line")
        #expect(quarantined.map { $0[1] } == [3, 4, 5, 6, 7, 8, 9].map { Cell.integer($0) })
        #expect(quarantined.allSatisfy { $0[0] == .text("bad.csv") })
        let reasons = quarantined.compactMap { if case .text(let r) = $0[2] { return r } else { return nil } }
        #expect(reasons[0] == "id: not an INT64: 'eleven'")
        #expect(reasons[1] == "created: unparsable TIMESTAMP: 'yesterday'")
        #expect(reasons[2] == "NULL in required column created")
        #expect(reasons[3] == "ragged row: 3 fields, the header has 6")
        #expect(reasons[4] == "ragged row: 7 fields, the header has 6")
        #expect(reasons[5].hasPrefix("invalid UTF-8"))
        #expect(reasons[6] == "paid: not a BOOL: 'maybe'; day: not a DATE (YYYY-MM-DD): '2026-02-30'")
        let raw = try f.rows("select raw_row from \"raw.orders__quarantine\" where line = 6")
        #expect(raw == [[.text("14,1.0,true")]])
    }

    @Test func aFileIsLoadedOnceByContentNotByName() throws {
        let f = try LoadFixture()
        let body = header + "1,1,true,2026-01-01,2026-01-01 00:00:00,a\n2,2,false,2026-01-02,2026-01-02 00:00:00,b\n"
        let first = try f.dir.write("day1.csv", body)
        let renamed = try f.dir.write("inbox/day1-copy.csv", body)
        let other = try f.dir.write("day2.csv", body + "3,3,true,2026-01-03,2026-01-03 00:00:00,c\n")
        let results = try f.loader.load(LoadFixture.orders, files: [first, renamed, first, other])
        #expect(results.map(\.status) == [.loaded, .alreadyLoaded, .alreadyLoaded, .loaded])
        #expect(try f.count("\"raw.orders\"") == 5)
        // A second loader (a new process) sees the same ledger: it lives in the warehouse.
        let again = SourceLoader(adapter: f.adapter, state: nil, targetName: "dev")
        #expect(try again.load(LoadFixture.orders, files: [other]).map(\.status) == [.alreadyLoaded])
        let ledger = try f.rows("select file_name, loaded_rows, quarantined_rows from \"raw._opsflow_load_ledger\" order by file_name")
        #expect(ledger == [[.text("day1.csv"), .integer(2), .integer(0)], [.text("day2.csv"), .integer(3), .integer(0)]])
        let history = try f.state.read { db in try Int.fetchOne(db, sql: "select count(*) from load_ledger") }
        #expect(history == 2)
    }

    @Test func replaceModeMakesTheFileTheTablesContent() throws {
        let f = try LoadFixture()
        let a = try f.dir.write("a.csv", header + "1,1,true,2026-01-01,2026-01-01 00:00:00,a\n2,1,true,2026-01-01,2026-01-01 00:00:00,a\n")
        let b = try f.dir.write("b.csv", header + "3,1,true,2026-01-01,2026-01-01 00:00:00,b\n")
        var options = LoadOptions()
        options.mode = .replace
        _ = try f.loader.load(LoadFixture.orders, files: [a, b], options: options)
        #expect(try f.rows("select id from \"raw.orders\"") == [[.integer(3)]])
    }

    @Test func emptyAndHeaderOnlyFilesLoadNothing() throws {
        let f = try LoadFixture()
        let empty = try f.dir.write("empty.csv", "")
        let headerOnly = try f.dir.write("header.csv", header)
        let blankLines = try f.dir.write("blank.ndjson", "\n\n  \n")
        let results = try f.loader.load(LoadFixture.orders, files: [empty, headerOnly, blankLines])
        #expect(results.map(\.rowsInFile) == [0, 0, 0])
        #expect(results.map(\.status) == [.loaded, .loaded, .loaded])
        #expect(try f.count("\"raw.orders\"") == 0)
    }

    @Test func aHugeLineIsQuarantinedAndTheRestLoads() throws {
        let f = try LoadFixture()
        let huge = String(repeating: "x", count: 3 << 20)  // 3 MiB, above the 1 MiB default limit
        let csv = try f.dir.write("huge.csv", header + "1,1,true,2026-01-01,2026-01-01 00:00:00,\(huge)\n2,1,true,2026-01-01,2026-01-01 00:00:00,ok\n")
        let ndjson = try f.dir.write("huge.ndjson", "{\"id\": 5, \"created\": \"2026-01-01T00:00:00Z\", \"note\": \"\(huge)\"}\n{\"id\": 6, \"created\": \"2026-01-01T00:00:00Z\"}\n")
        let results = try f.loader.load(LoadFixture.orders, files: [csv, ndjson])
        #expect(results.map(\.loadedRows) == [1, 1])
        #expect(results.map(\.quarantinedRows) == [1, 1])
        let reasons = try f.rows("select line, reason, length(raw_row) < 5000 from \"raw.orders__quarantine\" order by file_name")
        #expect(reasons.map { $0[0] } == [.integer(2), .integer(1)])
        #expect(reasons.allSatisfy { if case .text(let r) = $0[1] { return r.hasPrefix("record longer than 1048576 bytes") } else { return false } })
        #expect(reasons.allSatisfy { $0[2] == .integer(1) })
    }

    @Test func ndjsonRowsMeetTheSameContract() throws {
        let f = try LoadFixture()
        let lines = [
            #"{"id": 1, "amount": 2, "paid": true, "day": "2026-01-01", "created": "2026-01-01T12:00:00-03:00", "note": {"b": 1, "a": [1, 2]}}"#,
            #"{"id": "2", "created": "2026-01-01 00:00:00", "extra": "ignored"}"#,
            #"{"id": 3.5, "created": "2026-01-01 00:00:00"}"#,
            #"{"amount": 1, "created": "2026-01-01 00:00:00"}"#,
            #"{"id": 4, "created": null}"#,
            #"[1, 2, 3]"#,
            #"{"id": 5, "created": "2026-01-01 00:00:00""#,
            "",
            #"{"ID": 6, "Created": "2026-01-01 00:00:00", "paid": 0}"#,
        ]
        let file = try f.dir.write("orders.ndjson", lines.joined(separator: "\n") + "\n")
        let result = try #require(try f.loader.load(LoadFixture.orders, files: [file]).first)
        #expect(result.loadedRows == 3)
        #expect(result.quarantinedRows == 5)
        #expect(try f.rows("select id, amount, created, note, paid from \"raw.orders\" order by id") == [
            [.integer(1), .real(2), .text("2026-01-01 15:00:00"), .text(#"{"a":[1,2],"b":1}"#), .bool(true)],
            [.integer(2), .null, .text("2026-01-01 00:00:00"), .null, .null],
            [.integer(6), .null, .text("2026-01-01 00:00:00"), .null, .bool(false)],
        ])
        let reasons = try f.rows("select line, reason from \"raw.orders__quarantine\" order by line")
        #expect(reasons == [
            [.integer(3), .text("id: not an INT64: '3.5'")],
            [.integer(4), .text("missing required column id")],
            [.integer(5), .text("NULL in required column created")],
            [.integer(6), .text("not a JSON object")],
            [.integer(7), .text("not a JSON object")],
        ])
    }

    @Test func csvWithCRLFAndByteOrderMarkAndMissingOptionalColumn() throws {
        let f = try LoadFixture()
        let file = try f.dir.write("crlf.csv", [0xEF, 0xBB, 0xBF] + Array("id,created\r\n1,2026-01-01 00:00:00\r\n2,2026-01-01 00:00:01\r\n".utf8))
        let result = try #require(try f.loader.load(LoadFixture.orders, files: [file]).first)
        #expect(result.loadedRows == 2)
        #expect(try f.rows("select id, note from \"raw.orders\" order by id") == [[.integer(1), .null], [.integer(2), .null]])
    }

    @Test func aMissingRequiredColumnInTheHeaderQuarantinesEveryRow() throws {
        let f = try LoadFixture()
        let file = try f.dir.write("noid.csv", "amount,created\n1,2026-01-01 00:00:00\n2,2026-01-01 00:00:00\n")
        let result = try #require(try f.loader.load(LoadFixture.orders, files: [file]).first)
        #expect(result.loadedRows == 0)
        #expect(result.quarantinedRows == 2)
    }

    struct TimestampCase: Decodable { var input: String; var utc: String? }

    /// The expected UTC texts were produced by Python's `datetime.fromisoformat(...).astimezone(utc)`.
    @Test func timestampsNormaliseToUTCAsPythonDoes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/timestamps.json")
        let cases = try JSONDecoder().decode([TimestampCase].self, from: Data(contentsOf: url))
        #expect(cases.count > 10)
        for item in cases {
            let got: String?
            if case .success(.text(let text)) = ContractType.timestamp.cell(item.input) { got = text } else { got = nil }
            #expect(got == item.utc, "\(item.input)")
        }
    }

    @Test func sha256MatchesTheStandardVectors() throws {
        let dir = try TempDir()
        // FIPS 180-2 test vectors.
        let abc = try dir.write("abc", "abc")
        #expect(try SHA256Stream.hexDigest(ofFile: abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let million = try dir.write("a", String(repeating: "a", count: 1_000_000))
        #expect(try SHA256Stream.hexDigest(ofFile: million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let empty = try dir.write("empty", "")
        #expect(try SHA256Stream.hexDigest(ofFile: empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
