/// Reader sets deduplicated into classes: every slot carries a class id, and a scope's allowed
/// slots are those whose class shares a principal key with the scope.
///
/// Documents in a company share few distinct reader sets (a team, a department, everyone), so
/// the per-request work is one pass over the classes plus one pass over slot class ids.
struct ACLClassTable: Sendable, Equatable {
    /// Class id → its readers, sorted and without duplicates.
    private(set) var classes: [[String]] = []
    private var idByReaders: [[String]: UInt32] = [:]
    private var classesByKey: [String: [UInt32]] = [:]

    init() {}

    /// Rebuilds the table from persisted classes (in id order).
    init(classes: [[String]]) {
        for readers in classes { _ = classID(for: readers) }
    }

    /// The class of a reader set, created on first use.
    mutating func classID(for readers: [String]) -> UInt32 {
        let normalised = Array(Set(readers)).sorted()
        if let id = idByReaders[normalised] { return id }
        let id = UInt32(classes.count)
        classes.append(normalised)
        idByReaders[normalised] = id
        for key in normalised { classesByKey[key, default: []].append(id) }
        return id
    }

    /// For each class, whether one of `keys` is among its readers.
    func allowedClasses(for keys: [String]) -> [Bool] {
        var allowed = [Bool](repeating: false, count: classes.count)
        for key in keys {
            for id in classesByKey[key] ?? [] { allowed[Int(id)] = true }
        }
        return allowed
    }
}
