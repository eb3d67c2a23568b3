/// Generates the OpsFlow Analytics raw extracts (`im_global_collect_rate`, `im_arrival_scan`)
/// deterministically: the same ``DemoOptions`` always give byte-identical rows.
///
/// The shape of the data (documented so that tests and the models can rely on it):
/// - daily volume = `ordersPerDay` × weekday factor (Monday 1.35 … Sunday 0.55, mean 1) × a linear
///   trend (0.9 → 1.1 over the window) × promotion spikes (about one every 30 days: ×1.8–2.4 on
///   the day, ×1.3 the day after) × noise (±5 %);
/// - clients: `Client_A D2D/W2D/FM/CROSS BORDER` 40 %, `Client_B` 20 %, `Client_C` 15 %,
///   61 regional sellers 24 %, `TEST` 1 %;
/// - creation times follow business hours; pickups happen 0, 1, 2, 3, 4 or 5–9 days after
///   creation (35/30/15/8/5/4 %), in shift T1 (06–13 h) 50 %, T2 (14–21 h) 35 %, T3 15 %; 3 % are
///   never picked up, and a pickup that would fall after the end date is NULL (so recent orders are
///   mostly unpicked);
/// - every pickup is scanned 1–10 h later at `CDC-SP` (60 %) or another hub, and half of the parcels
///   first scanned at another hub reach `CDC-SP` 6–24 h after that; scans after the end date are
///   not emitted.
///
/// Each day draws from its own SplitMix64 stream seeded by (seed, calendar day), so a day's rows do
/// not depend on the days before it.
///
/// ```swift
/// let generator = try DemoGenerator(options: DemoOptions(endDate: .yesterdayUTC()))
/// try generator.generate(orders: { print($0.waybillNo) }, scans: { _ in })
/// ```
public struct DemoGenerator: Sendable {
    public let options: DemoOptions

    /// The columns of `im_global_collect_rate` (see ``OrderRow/orderColumns``).
    public static var orderColumns: [DemoColumn] { OrderRow.orderColumns }
    /// The columns of `im_arrival_scan` (see ``ScanRow/scanColumns``).
    public static var scanColumns: [DemoColumn] { ScanRow.scanColumns }

    /// - Throws: ``DemoError`` when the options are out of range.
    public init(options: DemoOptions) throws {
        try options.validate()
        self.options = options
    }

    /// One pass over the window, day by day; each day's orders in creation order, each order's
    /// scans right after it.
    ///
    /// - Parameters:
    ///   - orders: called once per order row.
    ///   - scans: called once per scan row.
    /// - Throws: whatever a callback throws (generation itself cannot fail).
    public func generate(orders: (OrderRow) throws -> Void, scans: (ScanRow) throws -> Void) rethrows {
        let endDay = options.endDate.daysSinceEpoch
        let startDay = endDay - Int64(options.days - 1)
        let endOfWindow = (endDay + 1) * 86_400  // first second after the window
        let promotions = promotionDays()
        for index in 0..<options.days {
            let day = startDay + Int64(index)
            var rng = SplitMix64(seed: options.seed ^ (UInt64(bitPattern: day) &* 0xD1B5_4A32_D192_ED03))
            let volume = dailyVolume(index: index, day: day, promotions: promotions, rng: &rng)
            var drafts: [(second: Int64, client: Int)] = []
            drafts.reserveCapacity(volume)
            for _ in 0..<volume {
                let client = rng.pick(cumulative: Mix.clientWeights)
                let hour = rng.pick(cumulative: Mix.creationHourWeights)
                let second = day * 86_400 + Int64(hour * 3_600 + rng.below(3_600))
                drafts.append((second, client))
            }
            // Stable order by creation time; ties keep draw order, so the sort is deterministic.
            drafts = drafts.enumerated().sorted {
                ($0.element.second, $0.offset) < ($1.element.second, $1.offset)
            }.map(\.element)
            let prefix = "OF" + DemoDateFormat.compact(day)
            for (sequence, draft) in drafts.enumerated() {
                let client = Mix.clients[draft.client]
                let waybill = prefix + DemoDateFormat.zeroPadded(sequence + 1, width: 7)
                let businessType = client.businessTypes[rng.pick(cumulative: client.businessTypeWeights)]
                let name = client.fixedName ?? Mix.regionalSellers[rng.below(Mix.regionalSellers.count)]
                let pickup = pickupSecond(created: draft.second, rng: &rng)
                let picked = pickup.flatMap { $0 < endOfWindow ? $0 : nil }
                try orders(OrderRow(waybillNo: waybill,
                                    createDate: CivilCalendar.formatTimestamp(draft.second),
                                    pickupTime: picked.map(CivilCalendar.formatTimestamp),
                                    clientName: name, businessType: businessType))
                guard let picked else { continue }
                for scan in scanEvents(pickup: picked, rng: &rng) where scan.second < endOfWindow {
                    try scans(ScanRow(waybillNo: waybill, scanDate: CivilCalendar.formatTimestamp(scan.second),
                                      scanStation: scan.station, clientName: name))
                }
            }
        }
    }

    /// Every order row, in the order of ``generate(orders:scans:)``.
    public func generateOrders(_ emit: (OrderRow) throws -> Void) rethrows {
        try generate(orders: emit, scans: { _ in })
    }

    /// Every scan row, in the order of ``generate(orders:scans:)``.
    public func generateScans(_ emit: (ScanRow) throws -> Void) rethrows {
        try generate(orders: { _ in }, scans: emit)
    }

    // MARK: - Volume

    /// Window indices of promotion days: about one per 30 days, never in the first week.
    func promotionDays() -> Set<Int> {
        // A stream of its own, so that promotion days do not shift when daily draws change.
        var rng = SplitMix64(seed: options.seed &+ 0x0000_5EED_0F9A_0000)
        let count = max(1, options.days / 30)
        guard options.days > 7 else { return [] }
        var days = Set<Int>()
        for _ in 0..<count { days.insert(7 + rng.below(options.days - 7)) }
        return days
    }

    private func dailyVolume(index: Int, day: Int64, promotions: Set<Int>, rng: inout SplitMix64) -> Int {
        let weekday = Mix.weekdayFactors[CivilCalendar.weekday(days: day)]
        let progress = options.days > 1 ? Double(index) / Double(options.days - 1) : 1
        let trend = 0.9 + 0.2 * progress
        var promotion = 1.0
        let spike = 1.8 + 0.6 * rng.unit()
        if promotions.contains(index) { promotion = spike } else if promotions.contains(index - 1) { promotion = 1.3 }
        let noise = 0.95 + 0.1 * rng.unit()
        let volume = Double(options.ordersPerDay) * weekday * trend * promotion * noise
        return max(1, Int(volume.rounded()))
    }

    // MARK: - Pickups and scans

    /// The pickup second, or nil for an order that is never picked up.
    private func pickupSecond(created: Int64, rng: inout SplitMix64) -> Int64? {
        let lagChoice = rng.pick(cumulative: Mix.pickupLagWeights)
        let shift = rng.pick(cumulative: Mix.shiftWeights)
        let hourInShift = rng.below(8)
        let secondInHour = rng.below(3_600)
        let nudge = 1_800 + rng.below(12_600)  // 30 min – 4 h
        let extraLag = rng.below(5)
        guard lagChoice < 6 else { return nil }
        let lag = lagChoice == 5 ? 5 + extraLag : lagChoice
        let hour = (Mix.shiftStartHours[shift] + hourInShift) % 24
        let createdDay = created >= 0 ? created / 86_400 : (created - 86_399) / 86_400
        // T3 runs 22:00–05:59: its early hours belong to the next calendar day.
        let dayOffset = Int64(lag) + (shift == 2 && hour < 6 ? 1 : 0)
        var pickup = (createdDay + dayOffset) * 86_400 + Int64(hour * 3_600 + secondInHour)
        if pickup <= created { pickup = created + Int64(nudge) }
        return pickup
    }

    private func scanEvents(pickup: Int64, rng: inout SplitMix64) -> [(second: Int64, station: String)] {
        let first = pickup + 3_600 + Int64(rng.below(9 * 3_600))
        let direct = rng.unit() < 0.6
        let hub = Mix.otherHubs[rng.below(Mix.otherHubs.count)]
        let onward = rng.unit() < 0.5
        let later = first + 6 * 3_600 + Int64(rng.below(18 * 3_600))
        if direct { return [(first, "CDC-SP")] }
        return onward ? [(first, hub), (later, "CDC-SP")] : [(first, hub)]
    }
}

/// Formatting helpers that avoid `String(format:)` (slow, locale-dependent).
enum DemoDateFormat {
    static func compact(_ days: Int64) -> String {
        CivilCalendar.formatDate(days).replacingOccurrences(of: "-", with: "")
    }

    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
