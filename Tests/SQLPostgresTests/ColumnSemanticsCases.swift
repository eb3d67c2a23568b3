// Cases over the fixture tables' columns (typed through the catalog), for the rules where
// PostgreSQL differs from BigQuery. Expected values follow BigQuery's documented rules, worked
// out by hand from the fixture rows (dev.orders: parcels 10, 5, 7, NULL, 3 for ids 1–5):
// NULL order https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#order_by_clause,
// CAST rounding https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions,
// DATE_DIFF boundaries https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date_diff,
// LEAST/GREATEST and CONCAT with NULL https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-all,
// SUM of only NULLs is NULL https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#sum.

extension Conformance {
    static func columnSemantics() -> [ConformanceCase] {
        var l = CaseList("column semantics (fixture tables)")
        l.q("SELECT id FROM dev.orders ORDER BY parcels", "4;5;2;3;1")
        l.q("SELECT id FROM dev.orders ORDER BY parcels DESC", "1;3;2;5;4")
        l.q("SELECT id FROM dev.orders ORDER BY parcels DESC NULLS FIRST", "4;1;3;2;5")
        l.q("SELECT id, CAST(parcels / 4 AS INT64) FROM dev.orders WHERE id IN (1, 2) ORDER BY id", "1|3;2|1")
        l.q("SELECT CAST(parcels / -4 AS INT64) FROM dev.orders WHERE id = 1", "-3")
        l.q("SELECT SUM(parcels), AVG(parcels), COUNTIF(parcels > 4), COUNT(parcels) FROM dev.orders", "25|6.25|3|4")
        l.q("SELECT LEAST(parcels, 5), GREATEST(parcels, 5) FROM dev.orders WHERE id = 4", "NULL|NULL")
        l.q("SELECT LEAST(parcels, 5), GREATEST(parcels, 5) FROM dev.orders WHERE id = 1", "5|10")
        l.q("SELECT CONCAT(client, CAST(parcels AS STRING)) FROM dev.orders WHERE id IN (3, 4) ORDER BY id", "Client_A7;NULL")
        l.q("SELECT EXTRACT(DAYOFWEEK FROM created), EXTRACT(DAYOFWEEK FROM day) FROM dev.orders WHERE id = 1", "2|2")
        l.q("SELECT DATE_DIFF(DATE '2025-01-12', day, WEEK), DATE_DIFF(DATE '2025-01-12', day, DAY) FROM dev.orders WHERE id = 1", "1|6")
        l.q("SELECT DATE_DIFF(DATE '2025-02-01', day, MONTH), DATE_DIFF(day, DATE '2024-12-31', YEAR) FROM dev.orders WHERE id = 1", "1|1")
        l.q("SELECT FORMAT_DATE('%a %d.%m.%Y', day), FORMAT_TIMESTAMP('%H:%M', created) FROM dev.orders WHERE id = 3", "Tue 07.01.2025|23:59")
        l.q("SELECT DATE(created), DATE_ADD(day, INTERVAL 1 MONTH) FROM dev.orders WHERE id = 3", "2025-01-07|2025-02-07")
        l.q("SELECT IF(id > 100, ERROR('too big'), id) FROM dev.orders WHERE id = 1", "1")
        l.q("SELECT IF(id > 0, ERROR('too big'), id) FROM dev.orders WHERE id = 1", "ERROR")
        l.q("SELECT client, SAFE_DIVIDE(SUM(parcels), COUNT(*)) FROM dev.orders GROUP BY client ORDER BY client", "Client_A|8.5;Client_B|4.0;Client_C|NULL")
        l.q("SELECT MAX(client), MIN(region) FROM dev.orders JOIN dev.clients USING (client)", "Client_B|North")
        l.q("SELECT id FROM dev.orders WHERE parcels IS NOT NULL QUALIFY ROW_NUMBER() OVER (PARTITION BY client ORDER BY parcels DESC) = 1 ORDER BY id", "1;2")
        l.q("SELECT id, SUM(parcels) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM dev.orders ORDER BY id", "1|10;2|15;3|12;4|7;5|3")
        l.q("SELECT client, ARRAY_AGG(id ORDER BY id DESC) FROM dev.orders GROUP BY client ORDER BY client", "Client_A|[3,1];Client_B|[5,2];Client_C|[4]")
        l.q("SELECT STRING_AGG(client, ',' ORDER BY id) FROM dev.orders WHERE parcels > 4", "Client_A,Client_B,Client_A")
        l.q("SELECT d FROM dev.orders, UNNEST(GENERATE_DATE_ARRAY(day, DATE_ADD(day, INTERVAL 1 DAY))) AS d WHERE id = 5 ORDER BY d", "2025-01-08;2025-01-09")
        l.q("SELECT TIMESTAMP_DIFF(created, TIMESTAMP '2025-01-06 00:00:00', HOUR) FROM dev.orders WHERE id = 3", "47")
        l.q("SELECT TIMESTAMP_TRUNC(created, DAY) FROM dev.orders WHERE id = 3", "2025-01-07 00:00:00+00")
        l.q("SELECT UPPER(client) < LOWER(client), 'Z' < 'a' FROM dev.orders WHERE id = 1", "true|true")
        // Error branches must not fire while PostgreSQL plans (constant folding, row estimates).
        l.q("SELECT id FROM dev.orders WHERE day = DATE_ADD(DATE '2025-01-05', INTERVAL 1 DAY) ORDER BY id", "1;2")
        l.q("SELECT COUNT(*) FROM dev.orders a JOIN dev.orders b ON b.day = DATE_SUB(a.day, INTERVAL 1 DAY)", "4")
        l.q("SELECT id FROM dev.orders WHERE id = 1 AND IF(id > 100, ERROR('x'), TRUE)", "1")
        l.q("SELECT COUNT(*) FROM dev.orders, UNNEST(IF(id > 100, ERROR('x'), [1, 2])) AS x", "10")
        l.q("SELECT id FROM dev.orders WHERE DATE_ADD(day, INTERVAL 9000 YEAR) > DATE '2025-01-01'", "ERROR")
        return l.cases
    }
}

extension Conformance {
    /// NUMERIC keeps 9 decimal digits, rounded half away from zero
    /// (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#decimal_types).
    static func numericCases() -> [ConformanceCase] {
        var l = CaseList("NUMERIC scale and INSTR")
        l.e("NUMERIC '1' / NUMERIC '3'", "0.333333333")
        l.e("NUMERIC '2' / NUMERIC '3'", "0.666666667")
        l.e("NUMERIC '100000000000000000000' / NUMERIC '3'", "33333333333333333333.333333333")
        l.e("NUMERIC '0.00001' * NUMERIC '0.00001'", "0")
        l.e("NUMERIC '0.00005' * NUMERIC '0.00001'", "0.000000001")
        l.e("SAFE_DIVIDE(NUMERIC '1', NUMERIC '3')", "0.333333333")
        // INSTR's examples for BigQuery's documented rules, as quoted in Apache Calcite's CALCITE-3959.
        l.e("INSTR('abcabc', 'bc', 3)", "5")
        l.e("INSTR('abcabc', 'bc', -1, 1)", "5")
        l.e("INSTR('abcabc', 'bc', -1, 2)", "2")
        l.e("INSTR('abc', 'bc', 0)", "ERROR")
        l.e("INSTR('abc', 'bc', 9)", "0")
        l.q("SELECT AVG(x) FROM UNNEST([NUMERIC '1', NUMERIC '1', NUMERIC '2']) AS x", "1.333333333")
        l.q("SELECT AVG(x) OVER () FROM UNNEST([NUMERIC '1', NUMERIC '2']) AS x LIMIT 1", "1.5")
        return l.cases
    }
}
