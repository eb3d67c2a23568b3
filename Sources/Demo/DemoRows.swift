/// A column of a raw extract: its name as the source system writes it and its logical type.
public struct DemoColumn: Sendable, Hashable {
    /// Column name, e.g. `waybillNo`.
    public let name: String
    /// Logical (BigQuery) type: `STRING` or `TIMESTAMP`.
    public let type: String
}

/// One row of `im_global_collect_rate`: one order (waybill).
///
/// Field order is the column order of ``orderColumns``. Timestamps are UTC `YYYY-MM-DD HH:MM:SS`.
public struct OrderRow: Sendable, Hashable {
    /// Unique waybill number, `OF` + creation day `YYYYMMDD` + 7-digit sequence.
    public var waybillNo: String
    /// When the order was created.
    public var createDate: String
    /// When the parcel was picked up; `nil` until then.
    public var pickupTime: String?
    /// Client as the order system spells it (`Client_A D2D`, `Client_B`, a regional seller, `TEST`, …).
    public var clientName: String
    /// `D2D`, `W2D`, `FM` or `CROSS BORDER`.
    public var businessType: String

    /// The columns of `im_global_collect_rate`, in order.
    public static let orderColumns: [DemoColumn] = [
        DemoColumn(name: "waybillNo", type: "STRING"),
        DemoColumn(name: "createDate", type: "TIMESTAMP"),
        DemoColumn(name: "pickupTime", type: "TIMESTAMP"),
        DemoColumn(name: "clientName", type: "STRING"),
        DemoColumn(name: "businessType", type: "STRING"),
    ]

    /// The fields in column order (`nil` = NULL).
    public var fields: [String?] { [waybillNo, createDate, pickupTime, clientName, businessType] }
}

/// One row of `im_arrival_scan`: one arrival scan of a parcel at a hub.
///
/// A parcel is scanned at most once per station, so (waybillNo, scanStation) is unique.
public struct ScanRow: Sendable, Hashable {
    /// The scanned waybill (an order of ``OrderRow``).
    public var waybillNo: String
    /// When the parcel arrived (UTC `YYYY-MM-DD HH:MM:SS`).
    public var scanDate: String
    /// The hub: `CDC-SP` (the main cross-dock) or `HUB-…`.
    public var scanStation: String
    /// The order's client, as in ``OrderRow/clientName``.
    public var clientName: String

    /// The columns of `im_arrival_scan`, in order.
    public static let scanColumns: [DemoColumn] = [
        DemoColumn(name: "waybillNo", type: "STRING"),
        DemoColumn(name: "scanDate", type: "TIMESTAMP"),
        DemoColumn(name: "scanStation", type: "STRING"),
        DemoColumn(name: "clientName", type: "STRING"),
    ]

    /// The fields in column order.
    public var fields: [String?] { [waybillNo, scanDate, scanStation, clientName] }
}
