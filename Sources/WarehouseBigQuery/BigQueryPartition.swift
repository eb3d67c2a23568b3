import Foundation
import Warehouse

/// dbt-bigquery's `partition_by` config (`PartitionConfig` in dbt-bigquery `relation_configs`/`impl.py`;
/// docs.getdbt.com/reference/resource-configs/bigquery-configs#partition-clause):
/// `{field, data_type: date|timestamp|datetime|int64, granularity: hour|day|month|year,
/// range: {start, end, interval}, time_ingestion_partitioning}`.
public struct BigQueryPartition: Sendable, Hashable {
    public var field: String
    /// Lowercased: `date`, `timestamp`, `datetime` or `int64`.
    public var dataType: String
    /// Lowercased: `hour`, `day`, `month` or `year`.
    public var granularity: String
    /// `int64` range partitioning's `start`, `end` and `interval`.
    public var range: (start: Int, end: Int, interval: Int)? {
        guard let rangeStart, let rangeEnd, let rangeInterval else { return nil }
        return (rangeStart, rangeEnd, rangeInterval)
    }
    var rangeStart: Int?
    var rangeEnd: Int?
    var rangeInterval: Int?
    public var timeIngestionPartitioning: Bool

    /// Reads the config; nil when absent.
    /// - Throws: ``WarehouseError`` (`query`) naming the malformed key, as dbt's validation does.
    public init?(_ setting: ConfigSetting?) throws {
        guard let setting, setting != .null else { return nil }
        guard let dict = setting.dict, let field = dict["field"]?.string, !field.isEmpty else {
            throw WarehouseError(.query, "partition_by needs a 'field' (docs: bigquery-configs#partition-clause)")
        }
        self.field = field
        dataType = (dict["data_type"]?.string ?? "date").lowercased()
        granularity = (dict["granularity"]?.string ?? "day").lowercased()
        timeIngestionPartitioning = dict["time_ingestion_partitioning"]?.bool ?? false
        guard ["date", "timestamp", "datetime", "int64"].contains(dataType) else {
            throw WarehouseError(.query, "partition_by data_type '\(dataType)' is not one of date, timestamp, datetime, int64")
        }
        guard ["hour", "day", "month", "year"].contains(granularity) else {
            throw WarehouseError(.query, "partition_by granularity '\(granularity)' is not one of hour, day, month, year")
        }
        if dataType == "int64" {
            guard let range = dict["range"]?.dict, let start = range["start"]?.int, let end = range["end"]?.int,
                  let interval = range["interval"]?.int else {
                throw WarehouseError(.query, "partition_by on an int64 field needs range: {start, end, interval}")
            }
            rangeStart = start
            rangeEnd = end
            rangeInterval = interval
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.field == b.field && a.dataType == b.dataType && a.granularity == b.granularity && a.rangeStart == b.rangeStart
            && a.rangeEnd == b.rangeEnd && a.rangeInterval == b.rangeInterval && a.timeIngestionPartitioning == b.timeIngestionPartitioning
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(field); hasher.combine(dataType); hasher.combine(granularity) }

    /// Whether the column is truncated to the granularity (`timestamp_trunc(ts, day)`).
    var isTruncated: Bool { dataType == "timestamp" || dataType == "datetime" || (dataType == "date" && granularity != "day") }

    /// dbt-bigquery's `render`: the partition expression of `PARTITION BY`, optionally on an alias.
    public func render(alias: String? = nil) -> String {
        var column = timeIngestionPartitioning ? "_PARTITIONTIME" : field
        if let alias { column = alias + "." + column }
        if dataType == "int64", let range {
            return "range_bucket(\(column), generate_array(\(range.start), \(range.end), \(range.interval)))"
        }
        if timeIngestionPartitioning {
            return granularity == "day" && dataType == "date" ? (alias.map { $0 + "." } ?? "") + "_PARTITIONDATE"
                : "timestamp_trunc(\(column), \(granularity))"
        }
        if dataType == "date" && granularity == "day" { return column }
        return "\(dataType)_trunc(\(column), \(granularity))"
    }

    /// dbt-bigquery's `render_wrapped`: the partition value compared in insert_overwrite's
    /// predicates, cast to the partition's type when it is not truncated (`date(col)`).
    public func renderWrapped(alias: String? = nil) -> String {
        if ["date", "timestamp", "datetime"].contains(dataType) && !isTruncated && !timeIngestionPartitioning {
            return "\(dataType)(\(render(alias: alias)))"
        }
        return render(alias: alias)
    }

    /// The type of the `dbt_partitions_for_replacement` array.
    var partitionValueType: String {
        if timeIngestionPartitioning { return granularity == "day" && dataType == "date" ? "date" : "timestamp" }
        return dataType
    }
}
