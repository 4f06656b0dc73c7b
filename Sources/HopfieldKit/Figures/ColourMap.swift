import Foundation

/// Colour maps of the figures: perceptually ordered sequential maps (matplotlib's viridis, cividis,
/// magma, approximated by 9 stops each, and greys, which prints in black and white) and the
/// blue–white–red diverging map of z-scores.
public enum ColourMap: String, Sendable, CaseIterable, Codable {
    case viridis, cividis, magma, greys, diverging

    var stops: [(Double, Double, Double)] {
        switch self {
        case .viridis:
            [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
             (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)]
        case .cividis:
            [(0, 34, 78), (18, 53, 112), (59, 73, 108), (87, 93, 109), (112, 113, 115),
             (138, 134, 120), (166, 157, 117), (197, 181, 103), (253, 231, 55)]
        case .magma:
            [(0, 0, 4), (28, 16, 68), (79, 18, 123), (129, 37, 129), (181, 54, 122),
             (229, 80, 100), (251, 135, 97), (254, 194, 135), (252, 253, 191)]
        case .greys:
            [(20, 20, 20), (245, 245, 245)]
        case .diverging:
            [(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)]
        }
    }

    /// The colour at t ∈ [0, 1] (clamped), as #rrggbb.
    public func colour(_ t: Double) -> String {
        let stops = self.stops
        let t = t.isFinite ? max(0, min(1, t)) : 0
        let scaled = t * Double(stops.count - 1)
        let k = min(Int(scaled), stops.count - 2), u = scaled - Double(k)
        let (a, b) = (stops[k], stops[k + 1])
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * u).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

}
