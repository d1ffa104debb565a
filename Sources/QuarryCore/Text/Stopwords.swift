/// English function words and question words, ignored when matching questions to text.
enum Stopwords {
    static func contains(_ token: String) -> Bool { words.contains(token) }

    private static let words: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "else", "ever",
        "few", "for", "from", "further", "get", "gets", "got", "had", "has", "have", "having", "he", "her",
        "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it",
        "its", "itself", "just", "know", "let", "me", "might", "more", "most", "must", "my", "myself",
        "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
        "ourselves", "out", "over", "own", "please", "same", "shall", "she", "should", "so", "some",
        "such", "tell", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
        "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
        "was", "we", "were", "what", "whats", "when", "where", "which", "while", "who", "whom", "whose",
        "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "s", "t", "d",
        "ll", "m", "re", "ve", "don", "doesn", "isn", "aren", "wasn", "weren", "won", "explain",
        "anyone", "anything", "someone", "something", "much", "many", "often",
    ]
}
