extension Duration {
    /// The duration in seconds, with its fraction (for rates, and for figures a person reads).
    public var inSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
