/// The content filter's categories (Bedrock Guardrails' set).
public enum ContentCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case hate
    case insults
    case sexual
    case violence
    case misconduct
    case promptAttack = "prompt_attack"
}
