import Foundation
import Testing
import Warehouse
@testable import Run

@Suite struct SeedReaderTests {
    func read(_ text: String, delimiter: Character = ",", columnTypes: [String: String] = [:]) throws -> SeedTable {
        try SeedReader.read(data: Data(text.utf8), path: "seeds/test.csv", delimiter: delimiter, columnTypes: columnTypes)
    }

    func error(_ text: String) -> SeedError? {
        do {
            _ = try read(text)
            return nil
        } catch let error as SeedError {
            return error
        } catch {
            return nil
        }
    }

    @Test func aRowWithTooManyFieldsNamesFileLineAndCounts() {
        let failure = error("a,b\n1,2\n3,4,5\n")
        #expect(failure?.kind == .raggedRow)
        #expect(failure?.line == 3)
        #expect(failure?.description == "seeds/test.csv:3: expected 2 fields as in the header, found 3")
    }

    @Test func aRowWithTooFewFieldsIsAnError() {
        let failure = error("a,b,c\n1,2,3\n4,5\n")
        #expect(failure?.kind == .raggedRow)
        #expect(failure?.line == 3)
        #expect(failure?.message == "expected 3 fields as in the header, found 2")
    }

    @Test func lineNumbersCountLineBreaksInsideQuotedFields() {
        // The record starting on line 5 is the ragged one: line 2 holds a field spanning 3 lines.
        let failure = error("a,b\n\"x\ny\nz\",1\n2,3\n4\n")
        #expect(failure?.line == 6)
        let crlf = error("a,b\r\n\"x\r\ny\",1\r\n2,3,4\r\n")
        #expect(crlf?.line == 4)
    }

    @Test func aBlankLineInsideTheDataIsRagged() {
        #expect(error("a,b\n1,2\n\n3,4\n")?.line == 3)
    }

    @Test func trailingBlankLinesAreIgnored() throws {
        #expect(try read("a,b\n1,2\n\n\n").rows == [[.integer(1), .integer(2)]])
        #expect(try read("a\n1\n\n").rows == [[.integer(1)]])
        // …but an empty field inside a one-column file is a NULL value.
        #expect(try read("a\n1\n\n2\n").rows == [[.integer(1)], [.null], [.integer(2)]])
    }

    @Test func emptyFilesAndHeaders() {
        #expect(error("")?.kind == .empty)
        #expect(error("\u{FEFF}")?.kind == .empty)
        #expect(error("\n")?.kind == .empty)
        #expect(error("a,,c\n1,2,3\n")?.kind == .badHeader)
        let duplicate = error("id,name,ID\n1,x,2\n")
        #expect(duplicate?.kind == .badHeader)
        #expect(duplicate?.line == 1)
        #expect(duplicate?.message == "column 3 repeats the name \"id\" of column 1")
    }

    @Test func invalidUTF8NamesTheLine() throws {
        var bytes = Array("a,b\n1,2\n3,".utf8)
        bytes += [0xE9]  // Latin-1 é
        bytes += Array("t\u{E9}\n".utf8)
        do {
            _ = try SeedReader.read(data: Data(bytes), path: "seeds/latin1.csv")
            Issue.record("expected an encoding error")
        } catch let error as SeedError {
            #expect(error.kind == .encoding)
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("seeds/latin1.csv:3: the file is not valid UTF-8"))
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: SeedError.self) { try SeedReader.read(path: "/nonexistent/seed.csv") }
    }

    @Test func badDelimiters() {
        #expect(throws: SeedError.self) { try read("a\n1\n", delimiter: "\"") }
        #expect(throws: SeedError.self) { try read("a\n1\n", delimiter: "\r\n") }
        #expect(throws: SeedError.self) { try read("a\n1\n", delimiter: "🇧🇷") }
    }

    @Test func tabsAndPipes() throws {
        #expect(try read("a\tb\n1\tx\n", delimiter: "\t").rows == [[.integer(1), .text("x")]])
        #expect(try read("a|b\n1|\"x|y\"\n", delimiter: "|").rows == [[.integer(1), .text("x|y")]])
    }

    @Test func integersBeyondInt64AreAnError() {
        let failure = error("big\n1\n99999999999999999999\n")
        #expect(failure?.kind == .badValue)
        #expect(failure?.line == 3)
    }

    @Test func overriddenColumnsKeepTheirText() throws {
        let seed = try read("zip,n\n01001,1\nnull,2\n", columnTypes: ["zip": "varchar(5)"])
        #expect(seed.columns == [Column(name: "zip", dataType: "varchar(5)"), Column(name: "n", dataType: "INT64")])
        #expect(seed.rows == [[.text("01001"), .integer(1)], [.null, .integer(2)]])
    }

    @Test func nonFiniteNumbersMakeAFloatColumn() throws {
        // Python's Decimal reads NaN and Infinity; agate's max_precision skips them.
        let seed = try read("x\n1\nNaN\n-Infinity\n")
        #expect(seed.columns.first?.dataType == "FLOAT64")
        #expect(seed.rows[0] == [.real(1)])
        #expect(seed.rows[2] == [.real(-.infinity)])
    }
}
