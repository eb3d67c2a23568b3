/// The fixed proportions of the demo data (see ``DemoGenerator`` for the narrative).
enum Mix {
    struct Client: Sendable {
        /// nil = a regional seller, whose name is drawn from ``regionalSellers``.
        let fixedName: String?
        let weight: Double
        let businessTypes: [String]
        let businessTypeWeights: [Double]  // cumulative
    }

    static let clients: [Client] = [
        Client(fixedName: "Client_A D2D", weight: 20, businessTypes: ["D2D"], businessTypeWeights: [1]),
        Client(fixedName: "Client_A W2D", weight: 8, businessTypes: ["W2D"], businessTypeWeights: [1]),
        Client(fixedName: "Client_A FM", weight: 8, businessTypes: ["FM"], businessTypeWeights: [1]),
        Client(fixedName: "Client_A CROSS BORDER", weight: 4, businessTypes: ["CROSS BORDER"],
               businessTypeWeights: [1]),
        Client(fixedName: "Client_B", weight: 20, businessTypes: ["D2D", "W2D"],
               businessTypeWeights: [80, 20].cumulative),
        Client(fixedName: "Client_C", weight: 15, businessTypes: ["D2D", "CROSS BORDER"],
               businessTypeWeights: [70, 30].cumulative),
        Client(fixedName: nil, weight: 24, businessTypes: ["D2D", "W2D", "FM", "CROSS BORDER"],
               businessTypeWeights: [70, 15, 10, 5].cumulative),
        Client(fixedName: "TEST", weight: 1, businessTypes: ["D2D"], businessTypeWeights: [1]),
    ]

    static let clientWeights: [Double] = clients.map(\.weight).cumulative

    /// Small regional sellers (a few with non-ASCII letters, one with a comma to exercise CSV quoting).
    static let regionalSellers: [String] = {
        let kinds = ["Casa", "Loja", "Mercado", "Empório", "Bazar", "Ateliê"]
        let places = ["Aurora", "Bela Vista", "Central", "do Sul", "Norte",
                      "Primavera", "Sol", "Estrela", "Mar", "Serra"]
        return kinds.flatMap { kind in places.map { "\(kind) \($0)" } } + ["Silva, Costa & Filhos"]
    }()

    /// Sunday … Saturday, mean 1: Mondays heavy, Sundays light.
    static let weekdayFactors: [Double] = {
        let raw = [0.55, 1.35, 1.15, 1.05, 1.0, 0.95, 0.8]
        let mean = raw.reduce(0, +) / 7
        return raw.map { $0 / mean }
    }()

    /// Hours 0–23 of order creation (business hours heavy).
    static let creationHourWeights: [Double] = [
        1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1,
    ].cumulative

    /// Pickup lag 0, 1, 2, 3, 4, 5–9 days, never.
    static let pickupLagWeights: [Double] = [35, 30, 15, 8, 5, 4, 3].cumulative

    /// T1 (06–13 h), T2 (14–21 h), T3 (22–05 h).
    static let shiftWeights: [Double] = [50, 35, 15].cumulative
    static let shiftStartHours = [6, 14, 22]

    static let otherHubs = ["HUB-RJ", "HUB-BH", "HUB-CWB", "HUB-POA"]
}
