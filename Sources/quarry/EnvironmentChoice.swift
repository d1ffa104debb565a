import Foundation

/// The value of a choice option: as given on the command line, else as the environment variable
/// `variable` says (in any case), else `fallback`.
///
/// - Throws: ``CLIError`` naming the variable and the values allowed when it holds something else.
func choice<Choice: RawRepresentable & CaseIterable>(
    _ given: Choice?,
    variable: String,
    default fallback: Choice
) throws -> Choice where Choice.RawValue == String {
    if let given { return given }
    guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return fallback }
    guard let value = Choice(rawValue: text.lowercased()) else {
        let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        throw CLIError("\(variable)=\(text) is not one of \(allowed)")
    }
    return value
}
