extension ExtractionError {
    /// The PDF is encrypted with a user password, so its text cannot be read without it.
    ///
    /// A PDF encrypted with an owner password only (restrictions on printing or copying) opens
    /// without a password and is extracted normally.
    public static let encryptedPDF = ExtractionError.unreadable("the PDF is encrypted")

    /// The PDF has no text at all, only images: scanned pages need OCR, which Quarry does not do.
    public static let pdfWithoutTextLayer = ExtractionError.unreadable(
        "the PDF has no text layer (scanned pages need OCR)"
    )

    /// The file is empty: zero bytes.
    public static let emptyPDF = ExtractionError.unreadable("the PDF is empty (0 bytes)")

    /// The PDF is truncated or corrupt, with poppler's reason.
    ///
    /// - Parameter reason: what poppler said, such as `PDF document is damaged`.
    public static func damagedPDF(_ reason: String) -> ExtractionError {
        .unreadable("the PDF is damaged: \(reason)")
    }
}
