import CZlib
import Foundation

/// gzip decompression by zlib (RFC 1952 members, concatenated members included).
enum Gzip {
    /// True when `data` starts with the gzip magic bytes 1f 8b.
    static func isCompressed(_ data: Data) -> Bool { data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b }

    /// The decompressed bytes, at most `limit`; nil when the stream is corrupt or truncated, or
    /// larger than `limit`.
    static func decompress(_ data: Data, limit: Int) -> Data? {
        var output = Data()
        var stream = z_stream()
        guard hopsim_inflate_init_gzip(&stream) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        var status: Int32 = Z_OK
        var input = [UInt8](data)
        let total = input.count
        return input.withUnsafeMutableBufferPointer { inputPointer -> Data? in
            stream.next_in = inputPointer.baseAddress
            stream.avail_in = uInt(total)
            repeat {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunk - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { return nil }
                output.append(buffer, count: produced)
                guard output.count <= limit else { return nil }
                // A further gzip member follows: start it.
                if status == Z_STREAM_END, stream.avail_in > 0 {
                    guard inflateReset(&stream) == Z_OK else { return nil }
                    status = Z_OK
                }
            } while status != Z_STREAM_END
            return output
        }
    }
}
