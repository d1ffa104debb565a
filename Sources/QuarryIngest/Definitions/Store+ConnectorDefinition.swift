public import QuarryStore

extension Store {
    /// Creates or replaces the connector a definition describes.
    @discardableResult
    public func saveConnector(_ definition: ConnectorDefinition) async throws -> ConnectorRecord {
        try await saveConnector(
            name: definition.name,
            type: definition.type.rawValue,
            configuration: try definition.encodedJSON()
        )
    }

    /// The definition of a stored connector, or nil when there is none by that name.
    public func connectorDefinition(named name: String) async throws -> ConnectorDefinition? {
        guard let record = try await connector(named: name) else { return nil }
        return try ConnectorDefinition.decode(json: record.configuration)
    }
}
