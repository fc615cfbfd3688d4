internal import CAudio

/// A growable libav sample buffer that the resampler writes into before the FIFO takes the samples.
final class SampleBuffer {
    private(set) var planes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>? = nil
    private(set) var capacity: Int32 = 0
    private let channels: Int32
    private let format: AVSampleFormat

    init(channels: Int32, format: AVSampleFormat) {
        self.channels = channels
        self.format = format
    }

    deinit { release() }

    /// Makes room for at least `samples` samples per channel.
    func reserve(_ samples: Int32) {
        guard samples > capacity else { return }
        release()
        let status = av_samples_alloc_array_and_samples(&planes, nil, channels, samples, format, 0)
        precondition(status >= 0, "av_samples_alloc_array_and_samples: out of memory")
        capacity = samples
    }

    /// The plane pointers as the FIFO's `void **` wants them.
    var rawPlanes: UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        UnsafeMutableRawPointer(planes!).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    private func release() {
        guard planes != nil else { return }
        av_freep(UnsafeMutableRawPointer(planes!))  // the samples, whose pointer sits in planes[0]
        av_freep(&planes)
        capacity = 0
    }
}
