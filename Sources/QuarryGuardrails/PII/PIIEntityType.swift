/// The built-in personal data types, named as Presidio names them.
public enum PIIEntityType {
    public static let email = "EMAIL_ADDRESS"
    public static let phone = "PHONE_NUMBER"
    public static let creditCard = "CREDIT_CARD"
    public static let usSSN = "US_SSN"
    public static let iban = "IBAN_CODE"
    public static let ipAddress = "IP_ADDRESS"
    public static let url = "URL"
    public static let awsAccessKey = "AWS_ACCESS_KEY"
    public static let awsSecretKey = "AWS_SECRET_KEY"
    public static let person = "PERSON"
    public static let location = "LOCATION"
    public static let address = "ADDRESS"

    /// Every built-in type.
    public static let all: [String] = [
        email, phone, creditCard, usSSN, iban, ipAddress, url, awsAccessKey, awsSecretKey, person, location, address,
    ]
}
