/// Compresses one member in every `period` with a denser encoder and the rest with a faster one.
///
/// Members are independent, so the output's size and the time it takes are the weighted means of
/// the two encoders': a point between their levels that neither library offers. The choice goes
/// by the member's position, so the same input gives the same bytes whatever the threads did.
final class BlendedGzipMemberEncoder: GzipMemberEncoding {
    private let fast: any GzipMemberEncoding
    private let dense: any GzipMemberEncoding
    let period: Int

    init(fast: any GzipMemberEncoding, dense: any GzipMemberEncoding, period: Int) {
        precondition(period > 0, "a blend needs a period of at least one member")
        self.fast = fast
        self.dense = dense
        self.period = period
    }

    func encode(_ input: UnsafeRawBufferPointer, member: Int, into output: OutputBuffer) {
        // Member 0 is dense: a small file, one member long, gets the smaller encoding.
        if member % period == 0 {
            dense.encode(input, member: member, into: output)
        } else {
            fast.encode(input, member: member, into: output)
        }
    }
}
