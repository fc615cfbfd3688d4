internal import CAudio

/// A forward MDCT (`AV_TX_FLOAT_MDCT`): `2 × frame` samples in, `frame` coefficients out.
final class MDCT {
    let frame: Int
    private let transform: LibavTransform

    init(frame: Int) {
        self.frame = frame
        transform = LibavTransform(AV_TX_FLOAT_MDCT, length: frame)
    }

    /// The MDCT of `samples` (`2 × frame` values, already windowed) into `coefficients` (`frame` values).
    func forward(_ samples: inout [Float], into coefficients: inout [Float]) {
        transform.run(&samples, into: &coefficients)
    }
}
