/// Reads a view's stored `CREATE VIEW` statement (`sqlite_schema.sql`), to re-create the view
/// under another name: SQLite has no `ALTER VIEW … RENAME`.
///
/// SQLite stores the statement as written, normalized to start `CREATE VIEW ` with any database
/// qualifier removed (<https://www.sqlite.org/schematab.html#interpretation_of_the_schema_table>).
enum SQLiteViewDefinition {
    /// Everything after the view's name — the optional column list, `AS` and the query — or nil
    /// when the statement does not have the expected shape.
    static func bodyAfterName(_ sql: String) -> String? {
        let scalars = Array(sql.unicodeScalars)
        var index = 0
        func skipSpace() {
            while index < scalars.count {
                let c = scalars[index]
                if c == " " || c == "\t" || c == "\n" || c == "\r" {
                    index += 1
                } else if c == "-", index + 1 < scalars.count, scalars[index + 1] == "-" {
                    while index < scalars.count, scalars[index] != "\n" { index += 1 }
                } else if c == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                    index += 2
                    while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") { index += 1 }
                    index = min(scalars.count, index + 2)
                } else {
                    return
                }
            }
        }
        func word() -> String {
            let start = index
            while index < scalars.count, isWordScalar(scalars[index]) { index += 1 }
            return String(String.UnicodeScalarView(scalars[start..<index])).uppercased()
        }
        /// Skips one name: "…", `…`, […] or a bare word.
        func skipName() -> Bool {
            guard index < scalars.count else { return false }
            let open = scalars[index]
            let close: Unicode.Scalar? = open == "\"" ? "\"" : open == "`" ? "`" : open == "[" ? "]" : nil
            guard let close else {
                let start = index
                while index < scalars.count, isWordScalar(scalars[index]) { index += 1 }
                return index > start
            }
            index += 1
            while index < scalars.count {
                if scalars[index] == close {
                    // A doubled closing quote is an escaped quote (not inside […]).
                    if close != "]", index + 1 < scalars.count, scalars[index + 1] == close {
                        index += 2
                        continue
                    }
                    index += 1
                    return true
                }
                index += 1
            }
            return false
        }

        skipSpace()
        guard word() == "CREATE" else { return nil }
        skipSpace()
        var keyword = word()
        if keyword == "TEMP" || keyword == "TEMPORARY" {
            skipSpace()
            keyword = word()
        }
        guard keyword == "VIEW" else { return nil }
        skipSpace()
        let save = index
        if word() == "IF" {
            skipSpace()
            guard word() == "NOT" else { return nil }
            skipSpace()
            guard word() == "EXISTS" else { return nil }
            skipSpace()
        } else {
            index = save
        }
        guard skipName() else { return nil }
        skipSpace()
        // A qualified name `main.v`.
        if index < scalars.count, scalars[index] == "." {
            index += 1
            skipSpace()
            guard skipName() else { return nil }
        }
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        return rest.isEmpty ? nil : rest
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar == "$" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar.value > 127
    }
}
